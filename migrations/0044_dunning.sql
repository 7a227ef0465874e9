CREATE TABLE `collection_cases` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`rule_id` text NOT NULL,
	`invoice_ids` text NOT NULL,
	`status` text NOT NULL,
	`opened_at` text NOT NULL,
	`resolved_at` text,
	`resolution` text,
	`version` integer NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "collection_cases_status" CHECK("collection_cases"."status" in ('open','resolved')),
	CONSTRAINT "collection_cases_resolved" CHECK(("collection_cases"."status" = 'resolved') = ("collection_cases"."resolved_at" is not null))
);
--> statement-breakpoint
CREATE INDEX `collection_cases_tenant_id` ON `collection_cases` (`tenant_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `collection_cases_open_customer` ON `collection_cases` (`tenant_id`,`customer_id`) WHERE "collection_cases"."status" = 'open';--> statement-breakpoint
CREATE TABLE `dunning_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`job_id` text NOT NULL,
	`invoice_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`rule_id` text NOT NULL,
	`days_after_due` integer NOT NULL,
	`action` text NOT NULL,
	`template_id` text,
	`status` text NOT NULL,
	`error` text,
	`delivery_id` text,
	`provider_message_id` text,
	`run_date` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "dunning_attempts_status" CHECK("dunning_attempts"."status" in ('pending','succeeded','failed')),
	CONSTRAINT "dunning_attempts_failed_has_error" CHECK(("dunning_attempts"."status" = 'failed') = ("dunning_attempts"."error" is not null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dunning_attempts_invoice_step` ON `dunning_attempts` (`tenant_id`,`invoice_id`,`rule_id`,`days_after_due`);--> statement-breakpoint
CREATE INDEX `dunning_attempts_job` ON `dunning_attempts` (`tenant_id`,`job_id`,`id`);--> statement-breakpoint
CREATE TABLE `dunning_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`steps` text NOT NULL,
	`escalation` text,
	`currency` text,
	`is_default` integer NOT NULL,
	`active` integer NOT NULL,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	CONSTRAINT "dunning_rules_escalation" CHECK("dunning_rules"."escalation" is null or "dunning_rules"."escalation" = 'case')
);
--> statement-breakpoint
CREATE INDEX `dunning_rules_tenant_id` ON `dunning_rules` (`tenant_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `dunning_rules_tenant_default` ON `dunning_rules` (`tenant_id`) WHERE "dunning_rules"."is_default" = 1;--> statement-breakpoint
ALTER TABLE `customers` ADD `phone` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `dunning_rule_id` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `services_held_at` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `sms_transport` text;