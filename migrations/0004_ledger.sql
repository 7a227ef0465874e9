CREATE TABLE `journal_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`entry_date` text NOT NULL,
	`source_type` text NOT NULL,
	`source_id` text NOT NULL,
	`customer_id` text,
	`currency` text NOT NULL,
	`description` text NOT NULL,
	`total_debit` integer NOT NULL,
	`total_credit` integer NOT NULL,
	`created_at` text NOT NULL,
	`request_id` text,
	CONSTRAINT "journal_entries_balanced" CHECK("journal_entries"."total_debit" = "journal_entries"."total_credit" and "journal_entries"."total_debit" > 0)
);
--> statement-breakpoint
CREATE INDEX `journal_entries_tenant_id` ON `journal_entries` (`tenant_id`,`id`);--> statement-breakpoint
CREATE INDEX `journal_entries_tenant_source` ON `journal_entries` (`tenant_id`,`source_type`,`source_id`);--> statement-breakpoint
CREATE INDEX `journal_entries_tenant_date` ON `journal_entries` (`tenant_id`,`entry_date`);--> statement-breakpoint
CREATE TABLE `journal_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`entry_id` text NOT NULL,
	`line_no` integer NOT NULL,
	`account_code` text NOT NULL,
	`debit` integer NOT NULL,
	`credit` integer NOT NULL,
	`currency` text NOT NULL,
	`customer_id` text,
	CONSTRAINT "journal_lines_one_side" CHECK("journal_lines"."debit" >= 0 and "journal_lines"."credit" >= 0 and ("journal_lines"."debit" = 0) <> ("journal_lines"."credit" = 0))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `journal_lines_entry_line` ON `journal_lines` (`entry_id`,`line_no`);--> statement-breakpoint
CREATE INDEX `journal_lines_tenant_account` ON `journal_lines` (`tenant_id`,`account_code`,`entry_id`);