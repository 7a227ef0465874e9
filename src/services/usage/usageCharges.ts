// Usage on subscription invoices: each plan charge rates its metric's usage over a period (in
// arrears), and periods invoiced before their usage was complete are billed the difference later.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { byIdChunks } from "../../db/chunks";
import { rawStatement } from "../../db/client";
import type { PlanCharge } from "../../db/schema";
import { plans, subscriptions, subscriptionUsageCharges, usageLatePeriods } from "../../db/schema";
import { dayBefore, type Period } from "../../domain/billingPeriods";
import { type Decimal, parseDecimal, sumDecimals } from "../../domain/decimal";
import { describeRating, type PriceModel, type Rating, rateUsage, UNIT_AMOUNT_SCALE } from "../../domain/rating";
import { billsCustomerLevelUsage, formatE6, fromE6, toE6, USAGE_SCALE } from "../../domain/usage";
import type { ServiceContext } from "../../lib/context";
import { newId } from "../../lib/ids";
import type { BillableMetricRow } from "../../schemas/usage";
import { tierOf } from "../../schemas/usage";
import { metricsByCode } from "./metrics";
import { metricValue, metricValueSql, type UsageScope } from "./usageTotals";

const zero: Decimal = { units: 0n, scale: 0 };
const decimalOf = (text: string | undefined, scale: number) => (text ? (parseDecimal(text, scale) ?? zero) : zero);

/** A stored plan charge as the rating domain's price model. */
export function priceModelOf(charge: PlanCharge): PriceModel {
	switch (charge.model) {
		case "per_unit":
			return {
				model: "per_unit",
				unitAmount: decimalOf(charge.unit_amount, UNIT_AMOUNT_SCALE),
				freeUnits: decimalOf(charge.free_units, USAGE_SCALE),
			};
		case "package":
			return {
				model: "package",
				packageSize: charge.package_size ?? 1,
				packageAmount: charge.package_amount ?? 0,
				freeUnits: decimalOf(charge.free_units, USAGE_SCALE),
			};
		default:
			return { model: charge.model, tiers: (charge.tiers ?? []).map(tierOf) };
	}
}

type Subscription = { id: string; customerId: string };
const LIVE = ["trialing", "active", "past_due", "unpaid", "paused"] as const;

/** The customer's live subscriptions with their plans, oldest first. */
export const liveSubscriptions = (ctx: ServiceContext, customerId: string) =>
	ctx.db
		.select({ sub: subscriptions, plan: plans })
		.from(subscriptions)
		.innerJoin(plans, eq(plans.id, subscriptions.planId))
		.where(
			and(
				eq(subscriptions.tenantId, ctx.tenantId),
				eq(subscriptions.customerId, customerId),
				inArray(subscriptions.status, [...LIVE]),
			),
		)
		.orderBy(asc(subscriptions.id));

/** The subscription keys whose usage of `metric` the subscription bills: its own, and the customer's when it owns those. */
async function subscriptionKeys(ctx: ServiceContext, sub: Subscription, metrics: readonly string[]) {
	const live = await liveSubscriptions(ctx, sub.customerId);
	const candidates = live.map((s) => ({ id: s.sub.id, metrics: s.plan.charges.map((c) => c.metric) }));
	if (!candidates.some((c) => c.id === sub.id)) candidates.push({ id: sub.id, metrics: [...metrics] });
	return (metric: string) => (billsCustomerLevelUsage(sub.id, metric, candidates) ? [sub.id, ""] : [sub.id]);
}

export type RatedCharge = {
	charge: PlanCharge;
	metric: BillableMetricRow;
	period: Period;
	scope: UsageScope;
	quantityE6: bigint;
	rating: Rating;
};

/** Rates every usage charge of the plan over the period, for the subscription. */
export async function rateCharges(
	ctx: ServiceContext,
	sub: Subscription,
	charges: readonly PlanCharge[],
	period: Period,
	dimensions?: Record<string, string>,
): Promise<RatedCharge[]> {
	if (charges.length === 0) return [];
	const metrics = await metricsByCode(
		ctx,
		charges.map((c) => c.metric),
	);
	const keysFor = await subscriptionKeys(
		ctx,
		sub,
		charges.map((c) => c.metric),
	);
	const rated: RatedCharge[] = [];
	for (const charge of charges) {
		const metric = metrics.get(charge.metric);
		if (!metric) continue;
		const scope: UsageScope = {
			tenantId: ctx.tenantId,
			customerId: sub.customerId,
			subscriptionKeys: keysFor(charge.metric),
			from: period.start,
			until: period.end,
			dimensions,
		};
		const quantityE6 = await metricValue(ctx.db, metric, scope);
		rated.push({
			charge,
			metric,
			period,
			scope,
			quantityE6,
			rating: rateUsage(priceModelOf(charge), fromE6(quantityE6)),
		});
	}
	return rated;
}

/** The invoice item of a rated charge. */
export const usageItem = (rated: RatedCharge) => ({
	description: `${rated.metric.name} (${rated.period.start} – ${dayBefore(rated.period.end)}): ${describeRating(priceModelOf(rated.charge), rated.rating)}`,
	sku: rated.metric.code,
	quantity: { units: 1n, scale: 0 },
	unit_price: rated.rating.amount,
	discounts: [],
});

/** The item billing what a period's late usage added: the new rating less what was billed for it. */
const lateUsageItem = (rated: RatedCharge, billed: { quantityE6: bigint; amount: number }) => ({
	...usageItem(rated),
	description: `${rated.metric.name}, late usage (${rated.period.start} – ${dayBefore(rated.period.end)}): ${formatE6(rated.quantityE6 - billed.quantityE6)} more, ${describeRating(priceModelOf(rated.charge), rated.rating)} in all, less what was billed`,
	unit_price: rated.rating.amount - billed.amount,
});

/**
 * Statements that re-open a billed (period, metric) when its usage changed between reading it and
 * committing this batch: the database compares the live value with what was billed.
 */
const guardStatement = (ctx: ServiceContext, subscriptionId: string, rated: RatedCharge, billedE6: bigint) =>
	rawStatement(
		ctx.db,
		sql`insert or ignore into usage_late_periods (tenant_id, subscription_id, metric_code, period_start, period_end)
		select ${ctx.tenantId}, ${subscriptionId}, ${rated.metric.code}, ${rated.period.start}, ${rated.period.end}
		where ${metricValueSql(rated.metric, rated.scope)} <> ${Number(billedE6)}`,
	);

export type UsageBilling = {
	items: ReturnType<typeof usageItem>[];
	/** The invoice's statements for the usage it bills (null: nothing was owed, no invoice). */
	statements: (invoiceId: string | null) => BatchItem<"sqlite">[];
	/** Late periods billed too much: credited after the invoice commits. */
	overbilled: { rated: RatedCharge; billed: { quantityE6: bigint; amount: number; invoiceId: string | null } }[];
};

/** What a period's invoice bills for usage: the period's charges, plus the differences of late periods. */
export async function usageBilling(
	ctx: ServiceContext,
	sub: Subscription,
	charges: readonly PlanCharge[],
	period: Period | null,
): Promise<UsageBilling> {
	const current = period ? await rateCharges(ctx, sub, charges, period) : [];
	const late = await lateDifferences(ctx, sub, charges);
	const now = ctx.clock.now().toISOString();
	const underbilled = late.filter((l) => l.rated.rating.amount > l.billed.amount);
	const unchanged = late.filter((l) => l.rated.rating.amount === l.billed.amount);
	const chargeRow = (rated: RatedCharge, kind: "charge" | "late_adjustment", quantityE6: bigint, amount: number) => ({
		id: newId("usageCharge"),
		tenantId: ctx.tenantId,
		subscriptionId: sub.id,
		customerId: sub.customerId,
		metricCode: rated.metric.code,
		periodStart: rated.period.start,
		periodEnd: rated.period.end,
		kind,
		quantity: formatE6(quantityE6),
		amount,
		createdAt: now,
	});
	return {
		items: [...current.map((r) => usageItem(r)), ...underbilled.map((l) => lateUsageItem(l.rated, l.billed))],
		statements: (invoiceId) => [
			...current.map((r) =>
				ctx.db
					.insert(subscriptionUsageCharges)
					.values({ ...chargeRow(r, "charge", r.quantityE6, r.rating.amount), invoiceId }),
			),
			...[...underbilled, ...unchanged].flatMap((l) => [
				...(l.rated.quantityE6 !== l.billed.quantityE6 || l.rated.rating.amount !== l.billed.amount
					? [
							ctx.db.insert(subscriptionUsageCharges).values({
								...chargeRow(
									l.rated,
									"late_adjustment",
									l.rated.quantityE6 - l.billed.quantityE6,
									l.rated.rating.amount - l.billed.amount,
								),
								invoiceId: l.rated.rating.amount > l.billed.amount ? invoiceId : null,
							}),
						]
					: []),
				clearLateStatement(ctx, sub.id, l.rated),
			]),
			// Guards last: they see everything this batch wrote, and re-open what changed meanwhile.
			...current.map((r) => guardStatement(ctx, sub.id, r, r.quantityE6)),
			...[...underbilled, ...unchanged].map((l) => guardStatement(ctx, sub.id, l.rated, l.rated.quantityE6)),
		],
		overbilled: late.filter((l) => l.rated.rating.amount < l.billed.amount),
	};
}

const clearLateStatement = (ctx: ServiceContext, subscriptionId: string, rated: RatedCharge) =>
	ctx.db
		.delete(usageLatePeriods)
		.where(
			and(
				eq(usageLatePeriods.subscriptionId, subscriptionId),
				eq(usageLatePeriods.metricCode, rated.metric.code),
				eq(usageLatePeriods.periodStart, rated.period.start),
			),
		);

/** Statements recording a late period's over-billing as credited (after its credit note exists). */
export function creditedLateStatements(
	ctx: ServiceContext,
	sub: Subscription,
	late: UsageBilling["overbilled"][number],
	creditNoteId: string,
): BatchItem<"sqlite">[] {
	return [
		ctx.db.insert(subscriptionUsageCharges).values({
			id: newId("usageCharge"),
			tenantId: ctx.tenantId,
			subscriptionId: sub.id,
			customerId: sub.customerId,
			metricCode: late.rated.metric.code,
			periodStart: late.rated.period.start,
			periodEnd: late.rated.period.end,
			kind: "late_adjustment",
			quantity: formatE6(late.rated.quantityE6 - late.billed.quantityE6),
			amount: late.rated.rating.amount - late.billed.amount,
			creditNoteId,
			createdAt: ctx.clock.now().toISOString(),
		}),
		clearLateStatement(ctx, sub.id, late.rated),
		guardStatement(ctx, sub.id, late.rated, late.rated.quantityE6),
	];
}

/** Re-rates the subscription's invoiced periods whose usage changed, next to what was billed for them. */
async function lateDifferences(ctx: ServiceContext, sub: Subscription, charges: readonly PlanCharge[]) {
	const marks = await ctx.db
		.select()
		.from(usageLatePeriods)
		.where(and(eq(usageLatePeriods.tenantId, ctx.tenantId), eq(usageLatePeriods.subscriptionId, sub.id)));
	if (marks.length === 0) return [];
	// What was billed for every marked period, in one read.
	const billed = await byIdChunks([...new Set(marks.map((m) => m.periodStart))], (starts) =>
		ctx.db
			.select()
			.from(subscriptionUsageCharges)
			.where(
				and(eq(subscriptionUsageCharges.subscriptionId, sub.id), inArray(subscriptionUsageCharges.periodStart, starts)),
			),
	);
	const out: UsageBilling["overbilled"] = [];
	for (const mark of marks) {
		const charge = charges.find((c) => c.metric === mark.metricCode);
		const billedRows = billed.filter((r) => r.metricCode === mark.metricCode && r.periodStart === mark.periodStart);
		// The plan no longer prices the metric: the period keeps what it was billed.
		const first = billedRows.find((r) => r.kind === "charge");
		if (!charge || !first) continue;
		const [rated] = await rateCharges(ctx, sub, [charge], { start: mark.periodStart, end: mark.periodEnd });
		if (!rated) continue;
		const quantity = sumDecimals(billedRows.map((r) => parseDecimal(r.quantity, USAGE_SCALE) ?? zero));
		out.push({
			rated,
			billed: {
				quantityE6: BigInt(toE6(quantity)),
				amount: billedRows.reduce((sum, r) => sum + r.amount, 0),
				invoiceId: first.invoiceId,
			},
		});
	}
	return out;
}
