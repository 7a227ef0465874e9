CREATE TABLE `subscription_pending_items` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`subscription_id` text NOT NULL,
	`description` text NOT NULL,
	`amount` integer NOT NULL,
	`invoice_id` text,
	`created_at` text NOT NULL,
	CONSTRAINT "subscription_pending_items_amount" CHECK("subscription_pending_items"."amount" > 0)
);
--> statement-breakpoint
CREATE INDEX `subscription_pending_items_sub` ON `subscription_pending_items` (`tenant_id`,`subscription_id`);