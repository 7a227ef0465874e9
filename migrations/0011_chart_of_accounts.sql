CREATE TABLE `ledger_accounts` (
	`tenant_id` text NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `code`)
);
--> statement-breakpoint
CREATE TABLE `ledger_mappings` (
	`tenant_id` text NOT NULL,
	`key` text NOT NULL,
	`account_code` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `key`)
);
--> statement-breakpoint
ALTER TABLE `journal_lines` ADD `description` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `books_closed_through` text;