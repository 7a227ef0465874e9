CREATE TABLE `login_failures` (
	`subject` text PRIMARY KEY NOT NULL,
	`failures` integer NOT NULL,
	`window_started_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `numeric_ids` (
	`tenant_id` text NOT NULL,
	`kind` text NOT NULL,
	`number` integer NOT NULL,
	`target_id` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `kind`, `number`),
	CONSTRAINT "numeric_ids_positive" CHECK("numeric_ids"."number" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `numeric_ids_target` ON `numeric_ids` (`tenant_id`,`kind`,`target_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`email` text NOT NULL,
	`full_name` text NOT NULL,
	`role` text NOT NULL,
	`status` text NOT NULL,
	`password_hash` text NOT NULL,
	`customer_id` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`decided_at` text,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "users_role" CHECK("users"."role" in ('SYSADMIN','ACCOUNTANT','SALES','CUSTOMER')),
	CONSTRAINT "users_status" CHECK("users"."status" in ('PENDING','ACTIVE','REJECTED')),
	CONSTRAINT "users_customer_bound" CHECK(("users"."role" = 'CUSTOMER') or ("users"."customer_id" is null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_tenant_email` ON `users` (`tenant_id`,`email`);--> statement-breakpoint
CREATE INDEX `users_tenant_status` ON `users` (`tenant_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `users_role_created` ON `users` (`role`,`created_at`);