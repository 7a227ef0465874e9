ALTER TABLE `customers` ADD `external_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `customers_tenant_external_id` ON `customers` (`tenant_id`,`external_id`);--> statement-breakpoint
ALTER TABLE `payments` ADD `external_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `payments_tenant_external_id` ON `payments` (`tenant_id`,`external_id`);