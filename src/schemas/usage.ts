import { z } from "zod";
import type { billableMetrics, usageEvents, usageRejections } from "../db/schema";
import { hasLocalDates, isCalendarDate } from "../domain/billingPeriods";
import { parseDecimal } from "../domain/decimal";
import { tierProblem } from "../domain/rating";
import { AGGREGATIONS, MAX_EVENT_QUANTITY, USAGE_SCALE } from "../domain/usage";
import { idParam, paginationQuery, prefixedId, timestamp } from "./common";

const code = z
	.string()
	.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "must be 1 to 64 letters, digits, dots, dashes or underscores");
/** Property and dimension names: identifiers, so they can be used as JSON paths safely. */
const key = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, "must be 1 to 64 letters, digits, _ or -");
/** An instant with its offset, normalized to UTC so instants compare as text. */
const instant = z.iso
	.datetime({ offset: true })
	.transform((v) => new Date(v).toISOString())
	// Every instant is counted on its tenant's local day: one outside the calendar has none.
	.refine((v) => hasLocalDates(Date.parse(v)), "must fall between 0001-01-02 and 9999-12-30 (UTC)")
	.meta({ description: "RFC 3339 timestamp with offset", example: "2026-11-21T10:00:00Z" });
const date = z.string().refine(isCalendarDate, "must be a date (YYYY-MM-DD)").meta({ format: "date" });

const decimalText = (maxScale: number, what: string, allowNegative = false) =>
	z.union([z.string(), z.number()]).transform((value, ctx) => {
		const parsed = parseDecimal(value, maxScale);
		if (parsed === null || (!allowNegative && parsed.units < 0n)) {
			ctx.addIssue({
				code: "custom",
				message: `must be ${allowNegative ? "a" : "a non-negative"} ${what} with at most ${maxScale} decimals`,
			});
			return z.NEVER;
		}
		return parsed;
	});

/** A usage quantity: a decimal with up to six places, at most MAX_EVENT_QUANTITY in size. */
const quantity = (allowNegative: boolean) =>
	decimalText(USAGE_SCALE, "number", allowNegative)
		.refine(
			(q) => (q.units < 0n ? -q.units : q.units) <= BigInt(MAX_EVENT_QUANTITY) * 10n ** BigInt(q.scale),
			`must be at most ${MAX_EVENT_QUANTITY}`,
		)
		.meta({ description: `A number or decimal string, up to ${USAGE_SCALE} decimals.` });

// ── Billable metrics ────────────────────────────────────────────────────────────────────────────

export const metricFilters = z
	.record(key, z.array(z.string().min(1).max(200)).min(1).max(100))
	.refine((f) => Object.keys(f).length <= 20, "at most 20 dimensions")
	.meta({ description: "Dimension → accepted values: only events whose dimensions match every entry count." });

export const billableMetricCreateBody = z
	.strictObject({
		code,
		name: z.string().trim().min(1).max(200),
		description: z.string().max(1000).optional(),
		aggregation: z.enum(AGGREGATIONS),
		field: key.optional().meta({
			description: "The event property aggregated; without it, the event's `quantity`. Required for unique_count.",
		}),
		filters: metricFilters.optional(),
	})
	.refine((b) => b.aggregation !== "unique_count" || b.field !== undefined, {
		message: "is required for unique_count",
		path: ["field"],
	})
	.refine((b) => b.aggregation !== "count" || b.field === undefined, {
		message: "does not apply to count (every event counts once)",
		path: ["field"],
	})
	.meta({
		id: "BillableMetricCreate",
		example: { code: "api_calls", name: "API calls", aggregation: "count", filters: { region: ["eu-west-1"] } },
	});

export const billableMetricUpdateBody = z
	.strictObject({
		name: z.string().trim().min(1).max(200).optional(),
		description: z.string().max(1000).nullable().optional(),
		version: z.number().int().min(1).optional(),
	})
	.meta({
		id: "BillableMetricUpdate",
		description: "Aggregation, field and filters never change (stored aggregates depend on them): create a new metric.",
	});

export const billableMetricSchema = z
	.object({
		id: z.string(),
		object: z.literal("billable_metric"),
		code: z.string(),
		name: z.string(),
		description: z.string().nullable(),
		aggregation: z.enum(AGGREGATIONS),
		field: z.string().nullable(),
		filters: z.record(z.string(), z.array(z.string())),
		version: z.number().int(),
		created_at: timestamp,
		updated_at: timestamp,
	})
	.meta({ id: "BillableMetric" });

export type BillableMetricRow = typeof billableMetrics.$inferSelect;

export const presentBillableMetric = (row: BillableMetricRow) => ({
	id: row.id,
	object: "billable_metric" as const,
	code: row.code,
	name: row.name,
	description: row.description,
	aggregation: row.aggregation,
	field: row.field,
	filters: row.filters,
	version: row.version,
	created_at: row.createdAt,
	updated_at: row.updatedAt,
});

export const billableMetricIdParams = idParam("bm");

// ── Price models (plan charges) ─────────────────────────────────────────────────────────────────

const unitAmount = z
	.union([z.string(), z.number()])
	.refine((v) => {
		const parsed = parseDecimal(v, 12);
		return parsed !== null && parsed.units >= 0n;
	}, "must be a non-negative amount in minor units with at most 12 decimals")
	.transform(String)
	.meta({ description: 'Minor units per unit; may be fractional ("0.05" is a twentieth of a cent).' });
const minorUnits = z.number().int().min(0).max(1_000_000_000_000);
const freeUnits = z
	.union([z.string(), z.number()])
	.refine((v) => {
		const parsed = parseDecimal(v, USAGE_SCALE);
		return parsed !== null && parsed.units >= 0n;
	}, `must be a non-negative number with at most ${USAGE_SCALE} decimals`)
	.transform(String);
const tier = z.strictObject({
	up_to: z
		.union([z.string(), z.number(), z.null()])
		.refine((v) => v === null || parseDecimal(v, USAGE_SCALE) !== null, "must be a number or null (no upper bound)")
		.transform((v) => (v === null ? null : String(v))),
	unit_amount: unitAmount.default("0"),
	flat_amount: minorUnits.default(0),
});

export const planChargeSchema = z
	.discriminatedUnion("model", [
		z.strictObject({
			metric: code,
			model: z.literal("per_unit"),
			unit_amount: unitAmount,
			free_units: freeUnits.optional(),
		}),
		z.strictObject({
			metric: code,
			model: z.literal("package"),
			package_size: z.number().int().min(1).max(1_000_000_000),
			package_amount: minorUnits,
			free_units: freeUnits.optional(),
		}),
		z.strictObject({ metric: code, model: z.literal("graduated"), tiers: z.array(tier).min(1).max(50) }),
		z.strictObject({ metric: code, model: z.literal("volume"), tiers: z.array(tier).min(1).max(50) }),
	])
	.superRefine((charge, ctx) => {
		if (charge.model !== "graduated" && charge.model !== "volume") return;
		const problem = tierProblem(charge.tiers.map(tierOf));
		if (problem) ctx.addIssue({ code: "custom", message: problem, path: ["tiers"] });
	})
	.meta({
		id: "PlanCharge",
		description:
			"The price of one billable metric's usage per period, billed in arrears on the next invoice. Tiers are inclusive of `up_to`; the last tier has `up_to: null`.",
		example: {
			metric: "api_calls",
			model: "graduated",
			tiers: [
				{ up_to: 10000, unit_amount: "0" },
				{ up_to: null, unit_amount: "0.05" },
			],
		},
	});

export const planCharges = z
	.array(planChargeSchema)
	.max(20)
	.refine((charges) => new Set(charges.map((c) => c.metric)).size === charges.length, "name each metric once");

/** A stored tier as the rating domain reads it. */
export const tierOf = (t: { up_to: string | null; unit_amount: string; flat_amount: number }) => ({
	upTo: t.up_to === null ? null : (parseDecimal(t.up_to, USAGE_SCALE) ?? { units: 0n, scale: 0 }),
	unitAmount: parseDecimal(t.unit_amount, 12) ?? { units: 0n, scale: 0 },
	flatAmount: t.flat_amount,
});

// ── Usage events ────────────────────────────────────────────────────────────────────────────────

const eventId = z
	.string()
	.regex(/^[\x21-\x7e]{1,128}$/, "must be 1 to 128 printable ASCII characters")
	.meta({ description: "Your unique id of the event: the same id is counted once, however often it is sent." });
const dimensions = z
	.record(key, z.string().max(200))
	.refine((d) => Object.keys(d).length <= 20, "at most 20 dimensions");
const properties = z
	.record(key, z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]))
	.refine((p) => Object.keys(p).length <= 50, "at most 50 properties");

const usageEventFields = {
	customer_id: prefixedId("cus").optional(),
	subscription_id: prefixedId("sub").optional(),
	metric: code,
	quantity: quantity(false).prefault(1),
	properties: properties.default({}),
	dimensions: dimensions.default({}),
};
const namesOwner = (e: { customer_id?: string; subscription_id?: string }) =>
	e.customer_id !== undefined || e.subscription_id !== undefined;
const ownerIssue = { message: "customer_id or subscription_id is required", path: ["customer_id"] };

/** One event as clients send it to `POST /v1/billing/usage`. */
export const usageEventInput = z
	.strictObject({ event_id: eventId.optional(), ...usageEventFields, timestamp: instant.optional() })
	.refine(namesOwner, ownerIssue)
	.meta({
		id: "UsageEvent",
		example: {
			event_id: "req_7f3a",
			customer_id: "cus_01JABCDEFGHJKMNPQRSTVWXYZ0",
			metric: "api_calls",
			quantity: 1,
			timestamp: "2026-11-21T10:00:00Z",
			dimensions: { region: "eu-west-1" },
		},
	});
export type UsageEventInput = z.infer<typeof usageEventInput>;

/**
 * One event on the `usage-events` queue (message schema v1). Producers that bind the queue directly
 * send these; event_id and timestamp are required there, since a redelivered message must repeat them.
 */
export const usageWireEvent = z
	.object({ event_id: eventId, ...usageEventFields, timestamp: instant })
	.refine(namesOwner, ownerIssue);
export type UsageWireEvent = z.input<typeof usageWireEvent>;
export type UsageWireEventParsed = z.infer<typeof usageWireEvent>;

/** A `usage-events` queue message: many events of one tenant. Keep each message under 128 KB. */
export const usageMessage = z.object({
	v: z.literal(1),
	tenant_id: z.string().min(1),
	events: z.array(z.unknown()).min(1),
});
export type UsageMessage = z.infer<typeof usageMessage>;

export const usageIngestResult = z
	.object({
		object: z.literal("usage_ingestion"),
		accepted: z.number().int().meta({ description: "Events durably queued; each counts once it is aggregated." }),
		rejected: z.array(
			z.object({
				index: z.number().int(),
				event_id: z.string().nullable(),
				errors: z.array(z.object({ field: z.string(), message: z.string() })),
			}),
		),
		event_ids: z
			.array(z.string())
			.meta({ description: "The id of every accepted event, in order (generated when not sent)." }),
	})
	.meta({ id: "UsageIngestion" });

export const usageAdjustBody = z
	.strictObject({
		customer_id: prefixedId("cus").optional(),
		subscription_id: prefixedId("sub").optional(),
		metric: code,
		quantity: quantity(true).meta({ description: "The correction, positive or negative, in the metric's unit." }),
		date: date.optional().meta({ description: "The usage day corrected (the tenant's calendar); today by default." }),
		dimensions: dimensions.default({}),
		reason: z.string().trim().min(1).max(500),
		adjustment_id: eventId.optional().meta({ description: "Your id for the adjustment; recorded once." }),
	})
	.refine(namesOwner, ownerIssue)
	.meta({ id: "UsageAdjust" });

export const usageAdjustmentSchema = z
	.object({
		id: z.string(),
		object: z.literal("usage_adjustment"),
		customer_id: z.string(),
		subscription_id: z.string().nullable(),
		metric: z.string(),
		quantity: z.string(),
		date: z.string(),
		dimensions: z.record(z.string(), z.string()),
		reason: z.string(),
		created_at: timestamp,
	})
	.meta({ id: "UsageAdjustment" });

// ── Queries ─────────────────────────────────────────────────────────────────────────────────────

const window = {
	from: date.optional().meta({ description: "First day, inclusive (the tenant's calendar)." }),
	to: date.optional().meta({ description: "Last day, inclusive." }),
};

export const usageQuery = z.object({
	customer_id: prefixedId("cus").optional(),
	subscription_id: prefixedId("sub").optional(),
	metric: code.optional(),
	...window,
	interval: z.enum(["day", "month", "total"]).default("total"),
	group_by: z
		.string()
		.optional()
		.transform((v, ctx) => {
			const keys = v ? v.split(",").map((k) => k.trim()) : [];
			for (const k of keys) {
				if (!key.safeParse(k).success) {
					ctx.addIssue({ code: "custom", message: `'${k}' is not a dimension name` });
					return z.NEVER;
				}
			}
			return keys.slice(0, 5);
		})
		.meta({ description: "Comma-separated dimensions to group by (at most 5)." }),
	dimensions: z
		.record(key, z.string().max(200))
		.default({})
		.meta({
			description: "Equality filters on event dimensions, as a deep object: `dimensions[region]=eu-west-1`.",
			param: { style: "deepObject", explode: true },
		}),
});
export type UsageQuery = z.infer<typeof usageQuery>;

export const usageRowSchema = z
	.object({
		metric: z.string(),
		aggregation: z.enum(AGGREGATIONS),
		customer_id: z.string(),
		period_start: z.string(),
		period_end: z.string().meta({ description: "Last day of the bucket, inclusive." }),
		dimensions: z.record(z.string(), z.string().nullable()),
		quantity: z.string(),
		events: z.number().int().nullable(),
	})
	.meta({ id: "UsageRow" });

export const usageAggregateBody = z
	.strictObject({
		metric: code.optional(),
		customer_id: prefixedId("cus").optional(),
		...window,
	})
	.meta({
		id: "UsageAggregate",
		description:
			"Rebuilds the window's aggregates from the stored events and counts events whose metric was defined late.",
	});

export const usageReportBody = z
	.strictObject({
		start_date: date,
		end_date: date,
		filters: z.record(key, z.string().max(200)).default({}),
		customer_id: prefixedId("cus").optional(),
		metric: code.optional(),
	})
	.refine((b) => b.start_date <= b.end_date, { message: "must not be after end_date", path: ["start_date"] })
	.meta({
		id: "UsageReportRequest",
		example: { start_date: "2026-01-01", end_date: "2026-01-31", filters: { region: "us-west-1" } },
	});

export const usagePreviewQuery = z
	.object({ subscription_id: prefixedId("sub"), ...window })
	.meta({ description: "The window defaults to the subscription's current period up to today." });

export const usageRejectionListQuery = paginationQuery;

export const usageRejectionSchema = z
	.object({
		id: z.string(),
		object: z.literal("usage_rejection"),
		event: z.unknown().meta({ description: "The event (or dead-lettered message) as it arrived." }),
		errors: z.array(z.object({ field: z.string(), message: z.string() })),
		received_at: timestamp,
	})
	.meta({ id: "UsageRejection" });

export const presentUsageRejection = (row: typeof usageRejections.$inferSelect) => ({
	id: row.id,
	object: "usage_rejection" as const,
	event: row.event,
	errors: row.errors as { field: string; message: string }[],
	received_at: row.receivedAt,
});

export const presentAdjustment = (
	row: Omit<
		Required<typeof usageEvents.$inferInsert>,
		"tenantId" | "valueE6" | "uniqueValue" | "properties" | "createdBy"
	>,
) => ({
	id: row.eventId,
	object: "usage_adjustment" as const,
	customer_id: row.customerId,
	subscription_id: row.subscriptionId,
	metric: row.metricCode,
	quantity: row.quantity,
	date: row.usageDate,
	dimensions: JSON.parse(row.dimensions) as Record<string, string>,
	reason: row.reason ?? "",
	created_at: row.receivedAt,
});
