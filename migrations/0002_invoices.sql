CREATE TABLE `invoice_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`invoice_id` text NOT NULL,
	`kind` text NOT NULL,
	`channel` text NOT NULL,
	`status` text NOT NULL,
	`recipient` text,
	`reason` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `invoice_deliveries_invoice` ON `invoice_deliveries` (`tenant_id`,`invoice_id`,`id`);--> statement-breakpoint
CREATE TABLE `invoice_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`invoice_id` text NOT NULL,
	`position` integer NOT NULL,
	`description` text NOT NULL,
	`sku` text,
	`quantity` text NOT NULL,
	`unit_price` integer NOT NULL,
	`amount` integer NOT NULL,
	`discounts` text NOT NULL,
	`discount_amount` integer NOT NULL,
	`net_amount` integer NOT NULL,
	`taxes` text NOT NULL,
	`tax_amount` integer NOT NULL,
	`total` integer NOT NULL,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "invoice_lines_chain" CHECK("invoice_lines"."net_amount" = "invoice_lines"."amount" - "invoice_lines"."discount_amount" and "invoice_lines"."total" = "invoice_lines"."net_amount" + "invoice_lines"."tax_amount"),
	CONSTRAINT "invoice_lines_non_negative" CHECK("invoice_lines"."unit_price" >= 0 and "invoice_lines"."amount" >= 0 and "invoice_lines"."discount_amount" >= 0 and "invoice_lines"."net_amount" >= 0 and "invoice_lines"."tax_amount" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoice_lines_position` ON `invoice_lines` (`invoice_id`,`position`);--> statement-breakpoint
CREATE TABLE `invoices` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`number` text,
	`status` text NOT NULL,
	`currency` text NOT NULL,
	`payment_terms` text NOT NULL,
	`issue_date` text,
	`due_date` text,
	`subtotal` integer NOT NULL,
	`discount_total` integer NOT NULL,
	`tax_total` integer NOT NULL,
	`total` integer NOT NULL,
	`amount_paid` integer DEFAULT 0 NOT NULL,
	`amount_credited` integer DEFAULT 0 NOT NULL,
	`amount_written_off` integer DEFAULT 0 NOT NULL,
	`balance` integer NOT NULL,
	`memo` text,
	`terms` text,
	`metadata` text NOT NULL,
	`source_ref` text,
	`posted_to_gl` integer DEFAULT false NOT NULL,
	`journal_entry_id` text,
	`write_off_reason` text,
	`void_reason` text,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`finalized_at` text,
	`paid_at` text,
	`voided_at` text,
	`written_off_at` text,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "invoices_status" CHECK("invoices"."status" in ('draft','issued','partially_paid','paid','voided','written_off')),
	CONSTRAINT "invoices_amounts_non_negative" CHECK("invoices"."subtotal" >= 0 and "invoices"."discount_total" >= 0 and "invoices"."tax_total" >= 0 and "invoices"."total" >= 0 and "invoices"."amount_paid" >= 0 and "invoices"."amount_credited" >= 0 and "invoices"."amount_written_off" >= 0),
	CONSTRAINT "invoices_total_chain" CHECK("invoices"."total" = "invoices"."subtotal" - "invoices"."discount_total" + "invoices"."tax_total"),
	CONSTRAINT "invoices_balance" CHECK("invoices"."balance" >= 0 and "invoices"."balance" = case when "invoices"."status" = 'voided' then 0 else "invoices"."total" - "invoices"."amount_paid" - "invoices"."amount_credited" - "invoices"."amount_written_off" end),
	CONSTRAINT "invoices_number_when_issued" CHECK(("invoices"."status" = 'draft') = ("invoices"."number" is null)),
	CONSTRAINT "invoices_version" CHECK("invoices"."version" >= 1)
);
--> statement-breakpoint
CREATE INDEX `invoices_tenant_id` ON `invoices` (`tenant_id`,`id`);--> statement-breakpoint
CREATE INDEX `invoices_tenant_customer` ON `invoices` (`tenant_id`,`customer_id`,`id`);--> statement-breakpoint
CREATE INDEX `invoices_tenant_status_due` ON `invoices` (`tenant_id`,`status`,`due_date`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_tenant_number` ON `invoices` (`tenant_id`,`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_tenant_source_ref` ON `invoices` (`tenant_id`,`source_ref`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`type` text NOT NULL,
	`status` text NOT NULL,
	`input` text NOT NULL,
	`total` integer,
	`processed` integer DEFAULT 0 NOT NULL,
	`succeeded` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`errors` text NOT NULL,
	`result` text,
	`result_key` text,
	`created_by` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`finished_at` text,
	CONSTRAINT "jobs_status" CHECK("jobs"."status" in ('queued','running','succeeded','failed','canceled'))
);
--> statement-breakpoint
CREATE INDEX `jobs_tenant_id` ON `jobs` (`tenant_id`,`id`);--> statement-breakpoint
CREATE TABLE `number_sequences` (
	`tenant_id` text NOT NULL,
	`series` text NOT NULL,
	`period` integer NOT NULL,
	`last_value` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `series`, `period`),
	CONSTRAINT "number_sequences_positive" CHECK("number_sequences"."last_value" >= 1)
);
--> statement-breakpoint
ALTER TABLE `tenants` ADD `invoice_number_format` text DEFAULT 'INV-{YYYY}-{NNNN}' NOT NULL;