import { coupons } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import { todayOf } from "../../lib/clock";
import type { ServiceContext } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { presentInvoice } from "../../schemas/invoice";
import { loadInvoicedAccount } from "../invoices/invoicedAccount";
import { loadPlan } from "../plans/plans";
import { BILLABLE_STATUSES, loadSubscription } from "./loadSubscription";
import { pendingItemsOf, upcomingInvoice, usageFor } from "./periodInvoice";

/**
 * A preview of the invoice the subscription's next billing date will issue, as billing will decide it
 * then: the period's price and coupon, the items waiting for it, and the usage recorded so far. Nothing
 * is written.
 */
export async function previewNextInvoice({ ctx, id }: { ctx: ServiceContext; id: string }) {
	const sub = await loadSubscription(ctx, id);
	const start = sub.nextBillingDate;
	if (start === null || !BILLABLE_STATUSES.includes(sub.status) || sub.cancelAtPeriodEnd) {
		throw new AppError(
			"invalid_state",
			sub.cancelAtPeriodEnd
				? `Subscription ${sub.id} ends at the end of its period: it renews no more.`
				: `Subscription ${sub.id} is ${sub.status}: it has no next invoice.`,
			{ extensions: { current_status: sub.status, cancel_at_period_end: sub.cancelAtPeriodEnd } },
		);
	}
	const [account, plan, coupon, pending] = await Promise.all([
		loadInvoicedAccount(ctx, sub.customerId),
		loadPlan(ctx, sub.planId),
		sub.couponId
			? ctx.db
					.select()
					.from(coupons)
					.where(idInTenant(coupons, ctx.tenantId, sub.couponId))
					.get()
			: undefined,
		pendingItemsOf(ctx, sub.id),
	]);
	const usage = await usageFor(ctx, sub, plan, start);
	const detail = upcomingInvoice(ctx, account, sub, plan, coupon ?? null, start, pending, usage?.items);
	return presentInvoice(detail, todayOf(ctx.clock.now()), true);
}
