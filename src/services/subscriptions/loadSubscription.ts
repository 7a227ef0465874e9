import { and, eq, inArray, lte } from "drizzle-orm";
import { subscriptionInvoices, subscriptions } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import type { ServiceContext } from "../../lib/context";
import { notFound } from "../../lib/errors";
import type { SubscriptionRow } from "../../schemas/subscription";

export async function loadSubscription(
	ctx: Pick<ServiceContext, "db" | "tenantId">,
	id: string,
): Promise<SubscriptionRow> {
	const row = await ctx.db
		.select()
		.from(subscriptions)
		.where(idInTenant(subscriptions, ctx.tenantId, id))
		.get();
	if (!row) throw notFound("subscription", id);
	return row;
}

export const subscriptionWhere = (ctx: Pick<ServiceContext, "tenantId">, id: string) =>
	idInTenant(subscriptions, ctx.tenantId, id);

/** The invoice record of the subscription's current period, when that period was billed (not a trial). */
export async function billedCurrentPeriod(ctx: Pick<ServiceContext, "db">, sub: SubscriptionRow) {
	if (!sub.currentPeriodStart) return undefined;
	return ctx.db
		.select()
		.from(subscriptionInvoices)
		.where(
			and(
				eq(subscriptionInvoices.subscriptionId, sub.id),
				eq(subscriptionInvoices.periodStart, sub.currentPeriodStart),
			),
		)
		.get();
}

/** The statuses delinquency moves a subscription between. */
export const DELINQUENCY_STATUSES: SubscriptionRow["status"][] = ["active", "past_due", "unpaid"];
/** What a recurring run bills (a paused or canceled subscription is not billed). */
export const BILLABLE_STATUSES: SubscriptionRow["status"][] = ["trialing", ...DELINQUENCY_STATUSES];

/** The tenant's subscriptions with a period due by `date`. */
export const dueSubscriptionsWhere = (tenantId: string, date: string) =>
	and(
		eq(subscriptions.tenantId, tenantId),
		inArray(subscriptions.status, BILLABLE_STATUSES),
		lte(subscriptions.nextBillingDate, date),
	);
