ALTER TABLE `invoices` ADD `subscription_id` text;--> statement-breakpoint
CREATE INDEX `invoices_tenant_subscription` ON `invoices` (`tenant_id`,`subscription_id`) WHERE "invoices"."subscription_id" is not null;--> statement-breakpoint
UPDATE `invoices` SET `subscription_id` = json_extract(`metadata`, '$.subscription_id')
WHERE `subscription_id` IS NULL AND json_extract(`metadata`, '$.subscription_id') IS NOT NULL
AND (`source_ref` LIKE 'subscription:%' OR json_extract(`metadata`, '$.proration') = 'true');
