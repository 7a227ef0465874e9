import { z } from "zod";
import type { plans } from "../db/schema";
import { currencyCode, metadata, paginationQuery, timestamp } from "./common";
import { taxCode } from "./invoice";
import { planChargeSchema, planCharges } from "./usage";

const intervals = ["day", "week", "month", "year"] as const;
type Interval = (typeof intervals)[number];

/** Every accepted spelling of an interval and the interval it is: seed 000 writes `monthly` and `yearly`. */
const intervalSpellings = {
	day: "day",
	week: "week",
	month: "month",
	year: "year",
	monthly: "month",
	yearly: "year",
} as const satisfies Record<string, Interval>;

const intervalInput = z
	.enum(Object.keys(intervalSpellings) as (keyof typeof intervalSpellings)[])
	.transform((spelling) => intervalSpellings[spelling])
	.meta({ description: "`monthly` and `yearly` are accepted for `month` and `year`, and shown as those." });

export const planCreateBody = z
	.strictObject({
		code: z
			.string()
			.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "must be 1 to 64 letters, digits, dots, dashes or underscores"),
		name: z.string().trim().min(1).max(200),
		interval: intervalInput,
		interval_count: z.number().int().min(1).max(365).default(1),
		amount: z
			.number()
			.int()
			.min(0)
			.max(1_000_000_000_000)
			.meta({ description: "Price per period per unit, minor units." }),
		currency: currencyCode,
		trial_period_days: z.number().int().min(0).max(365).default(0),
		billing_day: z.number().int().min(1).max(31).optional().meta({
			description:
				"Monthly and yearly plans: renew on this day of the month (the last day in shorter months). A subscription without its own billing_cycle_anchor is charged pro rata for the days up to the first such day.",
		}),
		charges: planCharges
			.optional()
			.meta({ description: "Usage charges: a price model per billable metric, billed in arrears." }),
		tax_code: taxCode
			.optional()
			.meta({ description: "What the tax engine taxes the plan's invoice lines by; default `standard`." }),
		prices_include_tax: z.boolean().optional().meta({
			description:
				"Whether `amount` and the usage charges' prices include tax: its invoices' lines are then split into net and tax adding up to them. Default (absent or null): the tenant's `tax_prices_include_tax` setting at billing time.",
		}),
		metadata: metadata.optional(),
	})
	.refine((b) => b.billing_day === undefined || b.interval === "month" || b.interval === "year", {
		message: "applies to monthly and yearly plans only",
		path: ["billing_day"],
	})
	.meta({
		id: "PlanCreate",
		example: {
			code: "pro_monthly",
			name: "Pro",
			interval: "month",
			amount: 2900,
			currency: "EUR",
			trial_period_days: 14,
		},
	});
export type PlanCreateInput = z.infer<typeof planCreateBody>;

export const planUpdateBody = z
	.strictObject({
		name: z.string().trim().min(1).max(200).optional(),
		amount: z
			.number()
			.int()
			.min(0)
			.max(1_000_000_000_000)
			.optional()
			.meta({ description: "Applies to periods billed from now on." }),
		trial_period_days: z.number().int().min(0).max(365).optional(),
		charges: planCharges.optional().meta({ description: "Replaces the usage charges for periods billed from now on." }),
		tax_code: taxCode.nullable().optional().meta({ description: "Applies to periods billed from now on." }),
		prices_include_tax: z.boolean().nullable().optional().meta({
			description: "Applies to periods billed from now on; null: the tenant's setting.",
		}),
		metadata: metadata.optional(),
		version: z.number().int().min(1).optional(),
	})
	.meta({ id: "PlanUpdate" });

export const planSchema = z
	.object({
		id: z.string(),
		object: z.literal("plan"),
		code: z.string(),
		name: z.string(),
		interval: z.enum(intervals),
		interval_count: z.number().int(),
		amount: z.number().int(),
		currency: z.string(),
		trial_period_days: z.number().int(),
		billing_day: z.number().int().nullable(),
		charges: z.array(planChargeSchema),
		tax_code: z.string().nullable(),
		prices_include_tax: z
			.boolean()
			.nullable()
			.meta({ description: "Whether its prices include tax; null: the tenant's `tax_prices_include_tax` setting." }),
		metadata: z.record(z.string(), z.string()),
		status: z.enum(["active", "archived"]),
		version: z.number().int(),
		created_at: timestamp,
		updated_at: timestamp,
	})
	.meta({ id: "Plan" });

export type PlanRow = typeof plans.$inferSelect;

export const presentPlan = (row: PlanRow) => ({
	id: row.id,
	object: "plan" as const,
	code: row.code,
	name: row.name,
	interval: row.interval,
	interval_count: row.intervalCount,
	amount: row.amount,
	currency: row.currency,
	trial_period_days: row.trialPeriodDays,
	billing_day: row.billingDay,
	charges: row.charges,
	tax_code: row.taxCode,
	prices_include_tax: row.pricesIncludeTax,
	metadata: row.metadata,
	status: row.status,
	version: row.version,
	created_at: row.createdAt,
	updated_at: row.updatedAt,
});

export const planListQuery = paginationQuery.extend({ status: z.enum(["active", "archived"]).optional() });
