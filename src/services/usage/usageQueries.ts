// Reading and correcting usage: the usage query, a window's rated usage as an invoice preview, the
// cost report, and adjustments (a new record with its reason, never an edit of history).
import { and, eq } from "drizzle-orm";
import { runBatch } from "../../db/client";
import { usageEvents, usageRejections } from "../../db/schema";
import { addInterval, dayBefore, daysBetween } from "../../domain/billingPeriods";
import { formatMinorUnits } from "../../domain/currency";
import { formatDecimal } from "../../domain/decimal";
import { dimensionsKey, toE6 } from "../../domain/usage";
import type { ServiceContext } from "../../lib/context";
import { AppError, fieldInvalid } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { presentInvoice } from "../../schemas/invoice";
import {
	presentAdjustment,
	presentUsageRejection,
	type UsageQuery,
	type usageAdjustBody,
	type usagePreviewQuery,
	type usageRejectionListQuery,
	type usageReportBody,
} from "../../schemas/usage";
import { changeStatements } from "../changeLog";
import { loadCustomer } from "../customers/loadCustomer";
import { buildDraft, planTaxing } from "../invoices/buildInvoice";
import { loadInvoicedAccount } from "../invoices/invoicedAccount";
import { paginate } from "../pagination";
import { loadPlan } from "../plans/plans";
import { tenantToday } from "../settings/settings";
import { loadSubscription } from "../subscriptions/loadSubscription";
import { metricsByCode } from "./metrics";
import { loadTenantUsageContext } from "./prepareUsage";
import { type StoredEvent, storeUsageStatements } from "./storeUsage";
import { liveSubscriptions, rateCharges, usageItem } from "./usageCharges";
import { groupedUsage, type UsageScope } from "./usageTotals";

type Input<T extends import("zod").ZodType> = import("zod").infer<T>;

/** Longest window a query may span, in days. */
const MAX_WINDOW_DAYS = 366;

async function windowOf(ctx: ServiceContext, from: string | undefined, to: string | undefined) {
	const today = await tenantToday(ctx);
	const last = to ?? today;
	const first = from ?? `${last.slice(0, 7)}-01`;
	if (first > last) throw fieldInvalid("query", "from", "must not be after to");
	if (daysBetween(first, last) >= MAX_WINDOW_DAYS)
		throw fieldInvalid("query", "from", `the window spans at most ${MAX_WINDOW_DAYS} days`);
	return { from: first, until: addInterval(last, "day", 1, 1) };
}

export async function listUsage({ ctx, query }: { ctx: ServiceContext; query: UsageQuery }) {
	const window = await windowOf(ctx, query.from, query.to);
	if (query.customer_id) await loadCustomer(ctx, query.customer_id);
	let customerId = query.customer_id;
	let subscriptionKeys: string[] | undefined;
	if (query.subscription_id) {
		const sub = await loadSubscription(ctx, query.subscription_id);
		if (customerId && customerId !== sub.customerId)
			throw fieldInvalid("query", "subscription_id", "belongs to another customer");
		customerId = sub.customerId;
		subscriptionKeys = [sub.id];
	}
	const metrics = await metricsByCode(ctx, query.metric ? [query.metric] : undefined);
	if (query.metric && !metrics.has(query.metric))
		throw fieldInvalid("query", "metric", `no billable metric '${query.metric}' exists`);
	const data = [];
	for (const metric of metrics.values()) {
		const scope: UsageScope = {
			tenantId: ctx.tenantId,
			customerId,
			subscriptionKeys,
			...window,
			dimensions: query.dimensions,
		};
		data.push(...(await groupedUsage(ctx.db, metric, scope, { interval: query.interval, dimensions: query.group_by })));
	}
	return { object: "list" as const, data, has_more: false, next_cursor: null, limit: data.length };
}

/** A subscription's rated usage over a window, presented as the invoice it would be (nothing stored). */
export async function previewUsageInvoice({
	ctx,
	query,
}: {
	ctx: ServiceContext;
	query: Input<typeof usagePreviewQuery>;
}) {
	const sub = await loadSubscription(ctx, query.subscription_id);
	const plan = await loadPlan(ctx, sub.planId);
	const today = await tenantToday(ctx);
	const from = query.from ?? sub.currentPeriodStart ?? sub.startDate;
	const window = await windowOf(ctx, from, query.to ?? (today < from ? from : today));
	const { customer, taxSetup } = await loadInvoicedAccount(ctx, sub.customerId);
	const rated = await rateCharges(ctx, sub, plan.charges, { start: window.from, end: window.until });
	if (rated.length === 0)
		throw new AppError("invalid_state", `Plan ${plan.id} prices no usage; there is nothing to preview.`);
	const detail = buildDraft(
		ctx,
		customer,
		{
			currency: plan.currency,
			issue_date: today,
			items: rated.map((r) => usageItem(r)),
			metadata: { subscription_id: sub.id, period_start: window.from, period_end: window.until },
		},
		{ setup: taxSetup, ...planTaxing(plan), supplyDate: dayBefore(window.until) },
	);
	return presentInvoice(detail, today, true);
}

/** Seed 001's usage report: each customer's usage per metric in the window, with its cost at their plan's prices. */
export async function usageReport({ ctx, input }: { ctx: ServiceContext; input: Input<typeof usageReportBody> }) {
	if (input.customer_id) await loadCustomer(ctx, input.customer_id);
	const window = await windowOf(ctx, input.start_date, input.end_date);
	const metrics = await metricsByCode(ctx, input.metric ? [input.metric] : undefined);
	const usage = [];
	const totals = new Map<string, number>();
	for (const metric of metrics.values()) {
		const rows = await groupedUsage(
			ctx.db,
			metric,
			{ tenantId: ctx.tenantId, customerId: input.customer_id, ...window, dimensions: input.filters },
			{ interval: "total", dimensions: [] },
		);
		for (const row of rows) {
			const priced = await pricedFor(ctx, row.customer_id, metric.code, window, input.filters);
			if (priced) totals.set(priced.currency, (totals.get(priced.currency) ?? 0) + priced.amount);
			usage.push({
				customer_id: row.customer_id,
				subscription_id: priced?.subscriptionId ?? null,
				metric: metric.code,
				start_date: input.start_date,
				end_date: input.end_date,
				quantity: row.quantity,
				amount: priced?.amount ?? null,
				currency: priced?.currency ?? null,
				cost: priced ? formatMinorUnits(priced.amount, priced.currency) : null,
			});
		}
	}
	const currencyTotals = [...totals].map(([currency, amount]) => ({
		currency,
		amount,
		cost: formatMinorUnits(amount, currency),
	}));
	return {
		object: "usage_report" as const,
		start_date: input.start_date,
		end_date: input.end_date,
		filters: input.filters,
		usage,
		total_cost: currencyTotals.length === 1 ? (currencyTotals[0]?.cost ?? null) : null,
		totals: currencyTotals,
	};
}

/** The cost of a customer's usage of a metric in the window, at the plan of their subscription that prices it. */
async function pricedFor(
	ctx: ServiceContext,
	customerId: string,
	metricCode: string,
	window: { from: string; until: string },
	dimensions: Record<string, string>,
) {
	const live = await liveSubscriptions(ctx, customerId);
	for (const { sub, plan } of live) {
		const charge = plan.charges.find((c) => c.metric === metricCode);
		if (!charge) continue;
		const [rated] = await rateCharges(ctx, sub, [charge], { start: window.from, end: window.until }, dimensions);
		return rated ? { subscriptionId: sub.id, currency: plan.currency, amount: rated.rating.amount } : null;
	}
	return null;
}

export async function adjustUsage({ ctx, input }: { ctx: ServiceContext; input: Input<typeof usageAdjustBody> }) {
	const metric = (await metricsByCode(ctx, [input.metric])).get(input.metric);
	if (!metric) throw fieldInvalid("body", "metric", `no billable metric '${input.metric}' exists`);
	if (metric.aggregation !== "sum" && metric.aggregation !== "count")
		throw fieldInvalid(
			"body",
			"metric",
			`adjusts sum and count metrics only; '${metric.code}' is ${metric.aggregation}`,
		);
	const context = await loadTenantUsageContext(ctx.db, ctx.tenantId, [input]);
	let customerId = input.customer_id ?? null;
	if (input.subscription_id) {
		const owner = context?.subscriptions.get(input.subscription_id);
		if (!owner) throw fieldInvalid("body", "subscription_id", "names no subscription of this tenant");
		if (customerId && customerId !== owner)
			throw fieldInvalid("body", "subscription_id", "belongs to another customer");
		customerId = owner;
	}
	if (!customerId || !context?.customers.has(customerId))
		throw fieldInvalid("body", "customer_id", "names no active customer of this tenant");
	const now = ctx.clock.now().toISOString();
	const event: StoredEvent = {
		tenantId: ctx.tenantId,
		eventId: input.adjustment_id ?? newId("usageAdjustment"),
		kind: "adjustment",
		customerId,
		subscriptionId: input.subscription_id ?? null,
		metricCode: metric.code,
		quantity: formatDecimal(input.quantity),
		valueE6: toE6(input.quantity),
		uniqueValue: null,
		properties: {},
		dimensions: dimensionsKey(input.dimensions),
		timestamp: now,
		usageDate: input.date ?? (await tenantToday(ctx)),
		receivedAt: now,
		reason: input.reason,
		createdBy: ctx.actor.id,
	};
	const existing = await loadAdjustment(ctx, event.eventId);
	if (existing) return existing;
	await runBatch(ctx.db, [
		...storeUsageStatements(ctx.db, [event], { anyLastMetric: false }),
		...changeStatements(ctx, {
			action: "usage.adjusted",
			target: { type: "usage_adjustment", id: event.eventId },
			before: null,
			after: presentAdjustment(event),
		}),
	]);
	return (await loadAdjustment(ctx, event.eventId)) ?? presentAdjustment(event);
}

async function loadAdjustment(ctx: ServiceContext, id: string) {
	const row = await ctx.db
		.select()
		.from(usageEvents)
		.where(and(eq(usageEvents.tenantId, ctx.tenantId), eq(usageEvents.eventId, id)))
		.get();
	if (!row) return null;
	if (row.kind !== "adjustment")
		throw new AppError("conflict", `The id '${id}' is a usage event's; choose another adjustment_id.`);
	return presentAdjustment(row);
}

/** Events (and dead-lettered messages) the queue consumer could not accept, newest first by default. */
export const listUsageRejections = ({
	ctx,
	query,
}: {
	ctx: ServiceContext;
	query: Input<typeof usageRejectionListQuery>;
}) =>
	paginate({
		query,
		idColumn: usageRejections.id,
		run: (page) =>
			ctx.db
				.select()
				.from(usageRejections)
				.where(and(eq(usageRejections.tenantId, ctx.tenantId), page.where))
				.orderBy(...page.orderBy)
				.limit(page.limit)
				.offset(page.offset),
		present: presentUsageRejection,
	});
