CREATE TABLE `einvoice_submissions` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`source_kind` text NOT NULL,
	`source_id` text NOT NULL,
	`format` text NOT NULL,
	`status` text NOT NULL,
	`provider_id` text,
	`errors` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	CONSTRAINT "einvoice_submissions_status" CHECK("einvoice_submissions"."status" in ('queued','sent','failed'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `einvoice_submissions_source_format` ON `einvoice_submissions` (`tenant_id`,`source_kind`,`source_id`,`format`);--> statement-breakpoint
DROP INDEX `documents_source`;--> statement-breakpoint
ALTER TABLE `documents` ADD `format` text DEFAULT 'pdf' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `documents_source_format` ON `documents` (`tenant_id`,`kind`,`source_id`,`format`);--> statement-breakpoint
ALTER TABLE `customers` ADD `electronic_address` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `buyer_reference` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `preferred_einvoice_format` text;--> statement-breakpoint
ALTER TABLE `invoice_lines` ADD `unit_code` text DEFAULT 'C62' NOT NULL;--> statement-breakpoint
ALTER TABLE `invoices` ADD `order_reference` text;--> statement-breakpoint
ALTER TABLE `invoices` ADD `contract_reference` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `einvoice_access_point` text;