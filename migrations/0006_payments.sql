CREATE TABLE `credit_note_applications` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`credit_note_id` text NOT NULL,
	`invoice_id` text NOT NULL,
	`amount` integer NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`credit_note_id`) REFERENCES `credit_notes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "credit_note_applications_positive" CHECK("credit_note_applications"."amount" > 0)
);
--> statement-breakpoint
CREATE INDEX `credit_note_applications_invoice` ON `credit_note_applications` (`tenant_id`,`invoice_id`);--> statement-breakpoint
CREATE INDEX `credit_note_applications_note` ON `credit_note_applications` (`tenant_id`,`credit_note_id`);--> statement-breakpoint
CREATE TABLE `credit_notes` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`invoice_id` text NOT NULL,
	`number` text NOT NULL,
	`status` text NOT NULL,
	`currency` text NOT NULL,
	`amount` integer NOT NULL,
	`net_amount` integer NOT NULL,
	`tax_lines` text NOT NULL,
	`reason` text NOT NULL,
	`amount_applied` integer DEFAULT 0 NOT NULL,
	`request_key` text,
	`journal_entry_id` text,
	`created_at` text NOT NULL,
	`voided_at` text,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "credit_notes_amounts" CHECK("credit_notes"."amount" > 0 and "credit_notes"."net_amount" >= 0 and "credit_notes"."net_amount" <= "credit_notes"."amount"),
	CONSTRAINT "credit_notes_not_overapplied" CHECK("credit_notes"."amount_applied" >= 0 and "credit_notes"."amount_applied" <= "credit_notes"."amount")
);
--> statement-breakpoint
CREATE INDEX `credit_notes_tenant_id` ON `credit_notes` (`tenant_id`,`id`);--> statement-breakpoint
CREATE INDEX `credit_notes_tenant_invoice` ON `credit_notes` (`tenant_id`,`invoice_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `credit_notes_tenant_number` ON `credit_notes` (`tenant_id`,`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `credit_notes_tenant_request_key` ON `credit_notes` (`tenant_id`,`request_key`);--> statement-breakpoint
CREATE TABLE `disputes` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`payment_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`reason` text NOT NULL,
	`status` text NOT NULL,
	`evidence` text NOT NULL,
	`notes` text NOT NULL,
	`evidence_due_by` text,
	`journal_entry_id` text,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`resolved_at` text,
	FOREIGN KEY (`payment_id`) REFERENCES `payments`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "disputes_amount_positive" CHECK("disputes"."amount" > 0),
	CONSTRAINT "disputes_status" CHECK("disputes"."status" in ('open','won','lost'))
);
--> statement-breakpoint
CREATE INDEX `disputes_tenant_id` ON `disputes` (`tenant_id`,`id`);--> statement-breakpoint
CREATE INDEX `disputes_tenant_payment` ON `disputes` (`tenant_id`,`payment_id`);--> statement-breakpoint
CREATE TABLE `payment_allocations` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`payment_id` text NOT NULL,
	`invoice_id` text NOT NULL,
	`amount` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`payment_id`) REFERENCES `payments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "payment_allocations_non_negative" CHECK("payment_allocations"."amount" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payment_allocations_pair` ON `payment_allocations` (`payment_id`,`invoice_id`);--> statement-breakpoint
CREATE INDEX `payment_allocations_invoice` ON `payment_allocations` (`tenant_id`,`invoice_id`);--> statement-breakpoint
CREATE TABLE `payments` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`paid_at` text NOT NULL,
	`payment_method` text NOT NULL,
	`reference` text,
	`metadata` text NOT NULL,
	`amount_allocated` integer DEFAULT 0 NOT NULL,
	`amount_refunded` integer DEFAULT 0 NOT NULL,
	`amount_reversed` integer DEFAULT 0 NOT NULL,
	`request_key` text,
	`journal_entry_id` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "payments_amount_positive" CHECK("payments"."amount" > 0),
	CONSTRAINT "payments_not_overdrawn" CHECK("payments"."amount_allocated" >= 0 and "payments"."amount_refunded" >= 0 and "payments"."amount_reversed" >= 0 and "payments"."amount_allocated" + "payments"."amount_refunded" + "payments"."amount_reversed" <= "payments"."amount")
);
--> statement-breakpoint
CREATE INDEX `payments_tenant_id` ON `payments` (`tenant_id`,`id`);--> statement-breakpoint
CREATE INDEX `payments_tenant_customer` ON `payments` (`tenant_id`,`customer_id`,`id`);--> statement-breakpoint
CREATE INDEX `payments_tenant_reference` ON `payments` (`tenant_id`,`reference`);--> statement-breakpoint
CREATE UNIQUE INDEX `payments_tenant_request_key` ON `payments` (`tenant_id`,`request_key`);--> statement-breakpoint
CREATE TABLE `refunds` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`payment_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`invoice_id` text,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`from_credit` integer NOT NULL,
	`from_invoices` integer NOT NULL,
	`reason` text,
	`method` text,
	`status` text NOT NULL,
	`request_key` text,
	`journal_entry_id` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`payment_id`) REFERENCES `payments`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "refunds_split" CHECK("refunds"."amount" > 0 and "refunds"."from_credit" >= 0 and "refunds"."from_invoices" >= 0 and "refunds"."from_credit" + "refunds"."from_invoices" = "refunds"."amount")
);
--> statement-breakpoint
CREATE INDEX `refunds_tenant_id` ON `refunds` (`tenant_id`,`id`);--> statement-breakpoint
CREATE INDEX `refunds_tenant_payment` ON `refunds` (`tenant_id`,`payment_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `refunds_tenant_request_key` ON `refunds` (`tenant_id`,`request_key`);