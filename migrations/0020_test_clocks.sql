CREATE TABLE `test_clocks` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`frozen_time` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `test_clocks_tenant` ON `test_clocks` (`tenant_id`,`id`);--> statement-breakpoint
ALTER TABLE `customers` ADD `test_clock_id` text;