CREATE TABLE `document_templates` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`kind` text NOT NULL,
	`locale` text NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`pdf_footer` text,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `document_templates_kind` ON `document_templates` (`tenant_id`,`kind`,`locale`,`id`);--> statement-breakpoint
CREATE TABLE `documents` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`kind` text NOT NULL,
	`source_id` text NOT NULL,
	`r2_key` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `documents_source` ON `documents` (`tenant_id`,`kind`,`source_id`);--> statement-breakpoint
CREATE TABLE `statements` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`currency` text NOT NULL,
	`period_from` text NOT NULL,
	`period_to` text NOT NULL,
	`opening_balance` integer NOT NULL,
	`closing_balance` integer NOT NULL,
	`entries` text NOT NULL,
	`aging` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `statements_customer` ON `statements` (`tenant_id`,`customer_id`,`id`);--> statement-breakpoint
ALTER TABLE `invoice_deliveries` ADD `provider_message_id` text;--> statement-breakpoint
ALTER TABLE `invoice_deliveries` ADD `attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `invoice_deliveries` ADD `template_id` text;--> statement-breakpoint
ALTER TABLE `invoice_deliveries` ADD `request_key` text;--> statement-breakpoint
ALTER TABLE `invoice_deliveries` ADD `updated_at` text;--> statement-breakpoint
CREATE UNIQUE INDEX `invoice_deliveries_request_key` ON `invoice_deliveries` (`tenant_id`,`invoice_id`,`kind`,`channel`,`request_key`);--> statement-breakpoint
ALTER TABLE `tenants` ADD `legal_profile` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `logo` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `email_transport` text;