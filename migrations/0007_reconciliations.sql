CREATE TABLE `reconciliations` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`job_id` text NOT NULL,
	`status` text NOT NULL,
	`confirm` integer NOT NULL,
	`lines` text NOT NULL,
	`results` text,
	`created_at` text NOT NULL,
	`completed_at` text
);
--> statement-breakpoint
CREATE INDEX `reconciliations_tenant_id` ON `reconciliations` (`tenant_id`,`id`);