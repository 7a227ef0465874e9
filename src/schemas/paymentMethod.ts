import { z } from "zod";
import type { paymentMethods } from "../db/schema";
import { timestamp } from "./common";

export const paymentMethodCreateBody = z
	.strictObject({
		gateway_token: z
			.string()
			.trim()
			.min(1)
			.max(200)
			.meta({ description: "The gateway's reference (e.g. pm_…, tok_…), never a card number." }),
		brand: z.string().trim().min(1).max(30).optional(),
		last4: z
			.string()
			.regex(/^\d{4}$/, "must be the last four digits")
			.optional(),
		exp_month: z.number().int().min(1).max(12).optional(),
		exp_year: z.number().int().min(2000).max(2100).optional(),
		default: z.boolean().default(false),
	})
	.refine((b) => (b.exp_month === undefined) === (b.exp_year === undefined), {
		message: "send exp_month and exp_year together",
		path: ["exp_month"],
	})
	.refine((b) => !/^\d{12,19}$/.test(b.gateway_token.replaceAll(/[\s-]/g, "")), {
		message: "looks like a card number; store the gateway's token instead",
		path: ["gateway_token"],
	})
	.meta({
		id: "PaymentMethodCreate",
		example: { gateway_token: "pm_1Nxyz", brand: "visa", last4: "4242", exp_month: 12, exp_year: 2030, default: true },
	});

export const paymentMethodSchema = z
	.object({
		id: z.string(),
		object: z.literal("payment_method"),
		customer_id: z.string(),
		gateway_token: z.string(),
		brand: z.string().nullable(),
		last4: z.string().nullable(),
		exp_month: z.number().int().nullable(),
		exp_year: z.number().int().nullable(),
		default: z.boolean(),
		expired: z.boolean(),
		created_at: timestamp,
	})
	.meta({ id: "PaymentMethod" });

export type PaymentMethodRow = typeof paymentMethods.$inferSelect;

/** A card expires at the end of its expiry month. */
export const isExpired = (row: Pick<PaymentMethodRow, "expMonth" | "expYear">, today: string) =>
	row.expYear !== null &&
	row.expMonth !== null &&
	`${row.expYear}-${String(row.expMonth).padStart(2, "0")}` < today.slice(0, 7);

export const presentPaymentMethod = (row: PaymentMethodRow, today: string) => ({
	id: row.id,
	object: "payment_method" as const,
	customer_id: row.customerId,
	gateway_token: row.gatewayToken,
	brand: row.brand,
	last4: row.last4,
	exp_month: row.expMonth,
	exp_year: row.expYear,
	default: row.isDefault,
	expired: isExpired(row, today),
	created_at: row.createdAt,
});
