DROP INDEX `usage_events_customer`;--> statement-breakpoint
CREATE INDEX `usage_events_day` ON `usage_events` (`tenant_id`,`usage_date`);