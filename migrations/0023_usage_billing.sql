CREATE TABLE `billable_metrics` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`aggregation` text NOT NULL,
	`field` text,
	`filters` text NOT NULL,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `billable_metrics_tenant_code` ON `billable_metrics` (`tenant_id`,`code`);--> statement-breakpoint
CREATE TABLE `subscription_usage_charges` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`subscription_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`metric_code` text NOT NULL,
	`period_start` text NOT NULL,
	`period_end` text NOT NULL,
	`kind` text NOT NULL,
	`quantity` text NOT NULL,
	`amount` integer NOT NULL,
	`invoice_id` text,
	`credit_note_id` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subscription_usage_charges_first` ON `subscription_usage_charges` (`subscription_id`,`metric_code`,`period_start`) WHERE "subscription_usage_charges"."kind" = 'charge';--> statement-breakpoint
CREATE INDEX `subscription_usage_charges_customer` ON `subscription_usage_charges` (`tenant_id`,`customer_id`,`metric_code`,`period_start`);--> statement-breakpoint
CREATE TABLE `usage_aggregates` (
	`tenant_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`metric_code` text NOT NULL,
	`usage_date` text NOT NULL,
	`subscription_key` text NOT NULL,
	`dimensions` text NOT NULL,
	`events` integer NOT NULL,
	`sum_e6` integer NOT NULL,
	`max_e6` integer,
	`last_e6` integer,
	`last_at` text,
	PRIMARY KEY(`tenant_id`, `customer_id`, `metric_code`, `usage_date`, `subscription_key`, `dimensions`)
);
--> statement-breakpoint
CREATE TABLE `usage_events` (
	`tenant_id` text NOT NULL,
	`event_id` text NOT NULL,
	`kind` text NOT NULL,
	`customer_id` text NOT NULL,
	`subscription_id` text,
	`metric_code` text NOT NULL,
	`quantity` text NOT NULL,
	`value_e6` integer,
	`unique_value` text,
	`properties` text NOT NULL,
	`dimensions` text NOT NULL,
	`timestamp` text NOT NULL,
	`usage_date` text NOT NULL,
	`received_at` text NOT NULL,
	`reason` text,
	`created_by` text,
	PRIMARY KEY(`tenant_id`, `event_id`),
	CONSTRAINT "usage_events_quantity" CHECK("usage_events"."kind" = 'adjustment' or "usage_events"."value_e6" is null or "usage_events"."value_e6" >= 0)
);
--> statement-breakpoint
CREATE INDEX `usage_events_customer` ON `usage_events` (`tenant_id`,`customer_id`,`metric_code`,`usage_date`);--> statement-breakpoint
CREATE INDEX `usage_events_pending` ON `usage_events` (`tenant_id`,`metric_code`) WHERE "usage_events"."value_e6" is null;--> statement-breakpoint
CREATE TABLE `usage_ingest_marks` (
	`id` text PRIMARY KEY NOT NULL,
	`after_rowid` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `usage_late_periods` (
	`tenant_id` text NOT NULL,
	`subscription_id` text NOT NULL,
	`metric_code` text NOT NULL,
	`period_start` text NOT NULL,
	`period_end` text NOT NULL,
	PRIMARY KEY(`subscription_id`, `metric_code`, `period_start`)
);
--> statement-breakpoint
CREATE TABLE `usage_rejections` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`event` text NOT NULL,
	`errors` text NOT NULL,
	`received_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `usage_rejections_tenant` ON `usage_rejections` (`tenant_id`,`id`);--> statement-breakpoint
CREATE TABLE `usage_unique_values` (
	`tenant_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`metric_code` text NOT NULL,
	`usage_date` text NOT NULL,
	`subscription_key` text NOT NULL,
	`dimensions` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `customer_id`, `metric_code`, `usage_date`, `subscription_key`, `dimensions`, `value`)
);
--> statement-breakpoint
ALTER TABLE `plans` ADD `charges` text DEFAULT '[]' NOT NULL;