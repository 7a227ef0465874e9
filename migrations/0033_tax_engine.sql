CREATE TABLE `tax_providers` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`endpoint_url` text NOT NULL,
	`secret_ciphertext` text NOT NULL,
	`secret_hint` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `tax_providers_tenant` ON `tax_providers` (`tenant_id`,`id`);--> statement-breakpoint
CREATE TABLE `tax_rates` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`country` text NOT NULL,
	`region` text,
	`postal_prefix` text,
	`tax_code` text NOT NULL,
	`jurisdiction` text NOT NULL,
	`name` text NOT NULL,
	`rate` text NOT NULL,
	`category` text NOT NULL,
	`stacking` text NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`created_at` text NOT NULL,
	CONSTRAINT "tax_rates_category" CHECK("tax_rates"."category" in ('S','Z','E','L','M')),
	CONSTRAINT "tax_rates_stacking" CHECK("tax_rates"."stacking" in ('add','replace')),
	CONSTRAINT "tax_rates_period" CHECK("tax_rates"."valid_to" is null or "tax_rates"."valid_to" >= "tax_rates"."valid_from")
);
--> statement-breakpoint
CREATE INDEX `tax_rates_tenant_country` ON `tax_rates` (`tenant_id`,`country`,`tax_code`);--> statement-breakpoint
ALTER TABLE `tenants` ADD `tax_rounding` text DEFAULT 'per_invoice' NOT NULL;--> statement-breakpoint
ALTER TABLE `tenants` ADD `tax_prices_include_tax` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `tenants` ADD `tax_origin_country` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `tax_origin_region` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `tax_registrations` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `tenants` ADD `tax_oss_registered` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `tenants` ADD `tax_eu_distance_sales_above_threshold` integer DEFAULT false NOT NULL;