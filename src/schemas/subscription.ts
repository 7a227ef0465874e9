import { z } from "zod";
import type { subscriptions } from "../db/schema";
import { metadata, paginationQuery, timestamp } from "./common";
import { invoiceSchema } from "./invoice";

const isoDate = z.iso.date("must be a date as YYYY-MM-DD");
const statuses = ["trialing", "active", "past_due", "unpaid", "paused", "canceled"] as const;

export const subscriptionCreateBody = z
	.strictObject({
		customer_id: z.string().min(1).max(64),
		plan_id: z.string().min(1).max(64),
		start_date: isoDate.optional().meta({ description: "Today by default." }),
		quantity: z.number().int().min(1).max(1_000_000).default(1),
		billing_cycle_anchor: isoDate
			.optional()
			.meta({ description: "Periods are counted from this day; the start (or trial end) by default." }),
		trial: z.boolean().optional().meta({ description: "Use the plan's trial_period_days." }),
		trial_days: z.number().int().min(0).max(365).optional().meta({ description: "Overrides the plan's trial length." }),
		promo_code: z.string().min(1).max(100).optional(),
		payment_method_id: z.string().min(1).max(64).optional(),
		metadata: metadata.optional(),
	})
	.meta({
		id: "SubscriptionCreate",
		example: { customer_id: "cus_01JD3Q8W5Z9K2M4N6P8R0T2V4X", plan_id: "plan_01JD3Q8W5Z9K2M4N6P8R0T2V4X", trial: true },
	});
export type SubscriptionCreateInput = z.infer<typeof subscriptionCreateBody>;

export const subscriptionUpdateBody = z
	.strictObject({
		plan_id: z.string().min(1).max(64).optional(),
		quantity: z.number().int().min(1).max(1_000_000).optional(),
		proration_behavior: z.enum(["create_prorations", "none", "always_invoice"]).default("create_prorations").meta({
			description:
				"create_prorations: charge the rest of the period on the new terms with the next invoice; always_invoice: invoice it now; none: no proration. Unused time on the old terms is credited (a credit note) unless none.",
		}),
		payment_method_id: z.string().min(1).max(64).nullable().optional(),
		metadata: metadata.optional(),
	})
	.meta({
		id: "SubscriptionUpdate",
		example: { plan_id: "plan_01JD3Q8W5Z9K2M4N6P8R0T2V4X", proration_behavior: "always_invoice" },
	});
export type SubscriptionUpdateInput = z.infer<typeof subscriptionUpdateBody>;

export const cancelBody = z
	.strictObject({
		at_period_end: z.boolean().default(true),
		prorate: z
			.boolean()
			.default(false)
			.meta({ description: "Immediately only: credit the unused part of the current period." }),
	})
	.meta({ id: "SubscriptionCancel" });

export const subscriptionSchema = z
	.object({
		id: z.string(),
		object: z.literal("subscription"),
		customer_id: z.string(),
		plan_id: z.string(),
		status: z.enum(statuses),
		quantity: z.number().int(),
		start_date: z.string(),
		billing_cycle_anchor: z.string(),
		trial_end: z.string().nullable(),
		current_period_start: z.string().nullable(),
		current_period_end: z.string().nullable(),
		next_billing_date: z.string().nullable(),
		cancel_at_period_end: z.boolean(),
		canceled_at: timestamp.nullable(),
		ended_at: z.string().nullable(),
		paused_at: timestamp.nullable(),
		payment_method_id: z.string().nullable(),
		metadata: z.record(z.string(), z.string()),
		version: z.number().int(),
		created_at: timestamp,
		updated_at: timestamp,
	})
	.meta({ id: "Subscription" });

export const subscriptionCreatedSchema = subscriptionSchema
	.extend({
		first_invoice: invoiceSchema.meta({
			description: "Issued at once for an active subscription; a preview while trialing.",
		}),
	})
	.meta({ id: "SubscriptionCreated" });

export type SubscriptionRow = typeof subscriptions.$inferSelect;

export const presentSubscription = (row: SubscriptionRow) => ({
	id: row.id,
	object: "subscription" as const,
	customer_id: row.customerId,
	plan_id: row.planId,
	status: row.status,
	quantity: row.quantity,
	start_date: row.startDate,
	billing_cycle_anchor: row.billingCycleAnchor,
	trial_end: row.trialEnd,
	current_period_start: row.currentPeriodStart,
	current_period_end: row.currentPeriodEnd,
	next_billing_date: row.nextBillingDate,
	cancel_at_period_end: row.cancelAtPeriodEnd,
	canceled_at: row.canceledAt,
	ended_at: row.endedAt,
	paused_at: row.pausedAt,
	payment_method_id: row.paymentMethodId,
	metadata: row.metadata,
	version: row.version,
	created_at: row.createdAt,
	updated_at: row.updatedAt,
});

export const subscriptionListQuery = paginationQuery.extend({
	customer_id: z.string().min(1).optional(),
	status: z.enum(statuses).optional(),
	plan_id: z.string().min(1).optional(),
});

/** What cancel, pause, resume and invoice-now ask of a subscription. */
export type LifecycleAction =
	| { kind: "cancel"; atPeriodEnd: boolean; prorate: boolean }
	| { kind: "pause" }
	| { kind: "resume" }
	| { kind: "invoice_now" };

export type Subscription = ReturnType<typeof presentSubscription>;
