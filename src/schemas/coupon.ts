import { z } from "zod";
import type { coupons } from "../db/schema";
import { currencyCode, timestamp } from "./common";

export const couponCreateBody = z
	.strictObject({
		code: z
			.string()
			.regex(/^[A-Za-z0-9_-]{2,64}$/, "must be 2 to 64 letters, digits, dashes or underscores")
			.meta({ description: "The promotion code customers use." }),
		name: z.string().trim().min(1).max(200),
		percent_off: z
			.union([z.number(), z.string()])
			.transform((v, ctx) => {
				const text = String(v);
				if (!/^\d{1,3}(\.\d{1,4})?$/.test(text) || Number(text) <= 0 || Number(text) > 100) {
					ctx.addIssue({ code: "custom", message: "must be a percentage above 0 and at most 100" });
					return z.NEVER;
				}
				return text;
			})
			.optional(),
		amount_off: z.number().int().min(1).optional().meta({ description: "Minor units of `currency`." }),
		currency: currencyCode.optional(),
		duration: z.enum(["once", "repeating", "forever"]),
		duration_in_periods: z
			.number()
			.int()
			.min(1)
			.max(1200)
			.optional()
			.meta({ description: "For repeating: how many invoices it discounts." }),
		max_redemptions: z.number().int().min(1).optional(),
		expires_at: z.iso.datetime({ offset: true }).optional(),
	})
	.refine((b) => (b.percent_off === undefined) !== (b.amount_off === undefined), {
		message: "send percent_off or amount_off",
		path: ["percent_off"],
	})
	.refine((b) => (b.amount_off === undefined) === (b.currency === undefined), {
		message: "amount_off needs a currency",
		path: ["currency"],
	})
	.refine((b) => (b.duration === "repeating") === (b.duration_in_periods !== undefined), {
		message: "repeating coupons need duration_in_periods (and only they)",
		path: ["duration_in_periods"],
	})
	.meta({
		id: "CouponCreate",
		example: {
			code: "WELCOME20",
			name: "20 % off the first 3 months",
			percent_off: 20,
			duration: "repeating",
			duration_in_periods: 3,
		},
	});

export const couponSchema = z
	.object({
		id: z.string(),
		object: z.literal("coupon"),
		code: z.string(),
		name: z.string(),
		percent_off: z.string().nullable(),
		amount_off: z.number().int().nullable(),
		currency: z.string().nullable(),
		duration: z.enum(["once", "repeating", "forever"]),
		duration_in_periods: z.number().int().nullable(),
		max_redemptions: z.number().int().nullable(),
		times_redeemed: z.number().int(),
		expires_at: timestamp.nullable(),
		status: z.enum(["active", "archived"]),
		created_at: timestamp,
	})
	.meta({ id: "Coupon" });

export type CouponRow = typeof coupons.$inferSelect;

export const presentCoupon = (row: CouponRow) => ({
	id: row.id,
	object: "coupon" as const,
	code: row.code,
	name: row.name,
	percent_off: row.percentOff,
	amount_off: row.amountOff,
	currency: row.currency,
	duration: row.duration,
	duration_in_periods: row.durationInPeriods,
	max_redemptions: row.maxRedemptions,
	times_redeemed: row.timesRedeemed,
	expires_at: row.expiresAt,
	status: row.status,
	created_at: row.createdAt,
});
