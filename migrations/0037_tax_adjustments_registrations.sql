CREATE TABLE `tax_adjustments` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`jurisdiction` text NOT NULL,
	`direction` text NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`date` text NOT NULL,
	`reason` text NOT NULL,
	`invoice_id` text,
	`journal_entry_id` text NOT NULL,
	`created_at` text NOT NULL,
	CONSTRAINT "tax_adjustments_amount" CHECK("tax_adjustments"."amount" > 0),
	CONSTRAINT "tax_adjustments_direction" CHECK("tax_adjustments"."direction" in ('increase','decrease'))
);
--> statement-breakpoint
CREATE INDEX `tax_adjustments_tenant_date` ON `tax_adjustments` (`tenant_id`,`date`);--> statement-breakpoint
CREATE TABLE `tax_registrations` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`invoice_id` text NOT NULL,
	`provider` text NOT NULL,
	`status` text NOT NULL,
	`provider_reference` text,
	`error` text,
	`attempts` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "tax_registrations_status" CHECK("tax_registrations"."status" in ('registered','failed')),
	CONSTRAINT "tax_registrations_outcome" CHECK(("tax_registrations"."status" = 'registered') = ("tax_registrations"."provider_reference" is not null and "tax_registrations"."error" is null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tax_registrations_invoice_provider` ON `tax_registrations` (`tenant_id`,`invoice_id`,`provider`);