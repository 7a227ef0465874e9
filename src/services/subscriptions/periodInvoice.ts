// The invoice a subscription's period issues, built from what billing decides (src/domain/billing): the
// account object issues it when the period is due, a preview shows it before.
import { and, asc, eq, isNull } from "drizzle-orm";
import { subscriptionInvoices, subscriptionPendingItems } from "../../db/schema";
import { type PendingItem, periodStep, type SubscriptionLine } from "../../domain/billing/subscriptionBilling";
import { type BillingPeriod, dayBefore } from "../../domain/billingPeriods";
import type { ServiceContext } from "../../lib/context";
import type { CouponRow } from "../../schemas/coupon";
import type { PlanRow } from "../../schemas/plan";
import type { SubscriptionRow } from "../../schemas/subscription";
import { billingCoupon } from "../coupons/coupons";
import { buildDraft, planTaxing } from "../invoices/buildInvoice";
import type { InvoicedAccount } from "../invoices/invoicedAccount";
import { type UsageBilling, usageBilling } from "../usage/usageCharges";

/** The invoice of one period, built like any other draft from the lines billing decided, and tagged with the period. */
export function periodInvoice(
	ctx: ServiceContext,
	{ customer, taxSetup }: InvoicedAccount,
	sub: SubscriptionRow,
	plan: PlanRow,
	start: string,
	period: BillingPeriod,
	lines: SubscriptionLine[],
	usageItems: UsageBilling["items"] = [],
) {
	return buildDraft(
		ctx,
		customer,
		{
			currency: plan.currency,
			issue_date: start,
			items: [...lines, ...usageItems],
			metadata: { subscription_id: sub.id, period_start: start, period_end: period.end },
		},
		{ setup: taxSetup, ...planTaxing(plan), supplyDate: dayBefore(period.end) },
		{ sourceRef: `subscription:${sub.id}:${start}`, subscriptionId: sub.id },
	);
}

/** The invoice of the period starting at `start`, as billing will decide it when that day comes. */
export function upcomingInvoice(
	ctx: ServiceContext,
	account: InvoicedAccount,
	sub: SubscriptionRow,
	plan: PlanRow,
	coupon: CouponRow | null,
	start: string,
	pending: readonly PendingItem[] = [],
	usageItems: UsageBilling["items"] = [],
) {
	const step = periodStep(sub, plan, coupon && billingCoupon(coupon), pending, start);
	return periodInvoice(ctx, account, sub, plan, step.start, step.period, step.lines, usageItems);
}

/** The period billed before the one starting at `start`: its usage is billed in arrears now. */
export async function previousPeriod(ctx: ServiceContext, subscriptionId: string, start: string) {
	const row = await ctx.db
		.select({ start: subscriptionInvoices.periodStart, end: subscriptionInvoices.periodEnd })
		.from(subscriptionInvoices)
		.where(
			and(
				eq(subscriptionInvoices.tenantId, ctx.tenantId),
				eq(subscriptionInvoices.subscriptionId, subscriptionId),
				eq(subscriptionInvoices.periodEnd, start),
			),
		)
		.get();
	return row ?? null;
}

/** Usage billed on the invoice of the period starting at `start` (nothing when the plan prices no usage). */
export async function usageFor(ctx: ServiceContext, sub: SubscriptionRow, plan: PlanRow, start: string) {
	if (plan.charges.length === 0) return null;
	return usageBilling(ctx, sub, plan.charges, await previousPeriod(ctx, sub.id, start));
}

/** The items waiting for the subscription's next invoice, oldest first. */
export const pendingItemsOf = (ctx: ServiceContext, subscriptionId: string) =>
	ctx.db
		.select()
		.from(subscriptionPendingItems)
		.where(
			and(
				eq(subscriptionPendingItems.tenantId, ctx.tenantId),
				eq(subscriptionPendingItems.subscriptionId, subscriptionId),
				isNull(subscriptionPendingItems.invoiceId),
			),
		)
		.orderBy(asc(subscriptionPendingItems.createdAt));
