CREATE TABLE `coupons` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`percent_off` text,
	`amount_off` integer,
	`currency` text,
	`duration` text NOT NULL,
	`duration_in_periods` integer,
	`max_redemptions` integer,
	`times_redeemed` integer DEFAULT 0 NOT NULL,
	`expires_at` text,
	`status` text NOT NULL,
	`created_at` text NOT NULL,
	CONSTRAINT "coupons_redemptions" CHECK("coupons"."max_redemptions" is null or "coupons"."times_redeemed" <= "coupons"."max_redemptions"),
	CONSTRAINT "coupons_one_kind" CHECK(("coupons"."percent_off" is null) <> ("coupons"."amount_off" is null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `coupons_tenant_code` ON `coupons` (`tenant_id`,`code`);--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `coupon_id` text;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `coupon_periods_left` integer;