ALTER TABLE `invoice_lines` ADD `prices_include_tax` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `plans` ADD `prices_include_tax` integer;