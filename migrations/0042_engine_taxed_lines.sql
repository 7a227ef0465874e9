ALTER TABLE `credit_notes` ADD `lines` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `customers` ADD `tax_status` text DEFAULT 'taxable' NOT NULL;--> statement-breakpoint
ALTER TABLE `customers` ADD `tax_exemption_reason` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `tax_exemption_reason_code` text;--> statement-breakpoint
ALTER TABLE `invoice_lines` ADD `tax_code` text;--> statement-breakpoint
ALTER TABLE `invoice_lines` ADD `tax_category` text;--> statement-breakpoint
ALTER TABLE `invoice_lines` ADD `tax_exemption_reason` text;--> statement-breakpoint
ALTER TABLE `invoice_lines` ADD `tax_exemption_reason_code` text;--> statement-breakpoint
ALTER TABLE `plans` ADD `tax_code` text;