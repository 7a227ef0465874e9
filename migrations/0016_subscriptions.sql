CREATE TABLE `payment_methods` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`gateway_token` text NOT NULL,
	`brand` text,
	`last4` text,
	`exp_month` integer,
	`exp_year` integer,
	`is_default` integer NOT NULL,
	`created_at` text NOT NULL,
	`deleted_at` text,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `payment_methods_customer` ON `payment_methods` (`tenant_id`,`customer_id`);--> statement-breakpoint
CREATE TABLE `plans` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`interval` text NOT NULL,
	`interval_count` integer NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`trial_period_days` integer NOT NULL,
	`billing_day` integer,
	`metadata` text NOT NULL,
	`status` text NOT NULL,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	CONSTRAINT "plans_amount" CHECK("plans"."amount" >= 0 and "plans"."interval_count" between 1 and 365 and "plans"."trial_period_days" between 0 and 365)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `plans_tenant_code` ON `plans` (`tenant_id`,`code`);--> statement-breakpoint
CREATE TABLE `subscription_invoices` (
	`subscription_id` text NOT NULL,
	`period_start` text NOT NULL,
	`period_end` text NOT NULL,
	`tenant_id` text NOT NULL,
	`invoice_id` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`subscription_id`, `period_start`)
);
--> statement-breakpoint
CREATE INDEX `subscription_invoices_invoice` ON `subscription_invoices` (`tenant_id`,`invoice_id`);--> statement-breakpoint
CREATE TABLE `subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`plan_id` text NOT NULL,
	`status` text NOT NULL,
	`quantity` integer NOT NULL,
	`billing_cycle_anchor` text NOT NULL,
	`start_date` text NOT NULL,
	`trial_end` text,
	`current_period_start` text,
	`current_period_end` text,
	`next_billing_date` text,
	`cancel_at_period_end` integer NOT NULL,
	`canceled_at` text,
	`ended_at` text,
	`paused_at` text,
	`payment_method_id` text,
	`promo_code` text,
	`metadata` text NOT NULL,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "subscriptions_quantity" CHECK("subscriptions"."quantity" >= 1)
);
--> statement-breakpoint
CREATE INDEX `subscriptions_tenant_id` ON `subscriptions` (`tenant_id`,`id`);--> statement-breakpoint
CREATE INDEX `subscriptions_tenant_customer` ON `subscriptions` (`tenant_id`,`customer_id`);--> statement-breakpoint
CREATE INDEX `subscriptions_due` ON `subscriptions` (`tenant_id`,`status`,`next_billing_date`);--> statement-breakpoint
CREATE INDEX `subscriptions_all_due` ON `subscriptions` (`next_billing_date`,`status`);