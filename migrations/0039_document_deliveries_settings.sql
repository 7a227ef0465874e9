CREATE TABLE `document_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`document_id` text NOT NULL,
	`kind` text NOT NULL,
	`channel` text NOT NULL,
	`status` text NOT NULL,
	`recipient` text,
	`reason` text,
	`provider_message_id` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`template_id` text,
	`request_key` text,
	`created_at` text NOT NULL,
	`updated_at` text
);
--> statement-breakpoint
CREATE INDEX `document_deliveries_document` ON `document_deliveries` (`tenant_id`,`document_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `document_deliveries_request_key` ON `document_deliveries` (`tenant_id`,`document_id`,`kind`,`channel`,`request_key`);--> statement-breakpoint
ALTER TABLE `tenants` ADD `default_payment_terms` text DEFAULT 'net30' NOT NULL;--> statement-breakpoint
ALTER TABLE `tenants` ADD `revenue_recognition_policy` text DEFAULT 'on_invoice' NOT NULL;--> statement-breakpoint
ALTER TABLE `tenants` ADD `locale` text DEFAULT 'en-GB' NOT NULL;--> statement-breakpoint
CREATE INDEX `credit_notes_tenant_customer` ON `credit_notes` (`tenant_id`,`customer_id`,`status`);--> statement-breakpoint
-- Invoice deliveries become document deliveries: the same rows, keyed by the document they delivered.
INSERT INTO `document_deliveries` (`id`, `tenant_id`, `document_id`, `kind`, `channel`, `status`, `recipient`, `reason`, `provider_message_id`, `attempts`, `template_id`, `request_key`, `created_at`, `updated_at`)
SELECT `id`, `tenant_id`, `invoice_id`, `kind`, `channel`, `status`, `recipient`, `reason`, `provider_message_id`, `attempts`, `template_id`, `request_key`, `created_at`, `updated_at` FROM `invoice_deliveries`;--> statement-breakpoint
DROP TABLE `invoice_deliveries`;
