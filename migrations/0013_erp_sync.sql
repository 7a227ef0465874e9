ALTER TABLE `tenants` ADD `erp_webhook_url` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `erp_webhook_secret` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `ledger_synced_through` text;