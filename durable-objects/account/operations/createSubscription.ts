import { subscriptions } from "../../../src/db/schema";
import { addInterval, billingDayAnchor } from "../../../src/domain/billingPeriods";
import type { ServiceContext } from "../../../src/lib/context";
import { refusalOf } from "../../../src/lib/dbErrors";
import { AppError, fieldInvalid, notFound } from "../../../src/lib/errors";
import { newId } from "../../../src/lib/ids";
import { presentInvoice } from "../../../src/schemas/invoice";
import { presentPlan } from "../../../src/schemas/plan";
import { presentSubscription, type SubscriptionRow } from "../../../src/schemas/subscription";
import { redeemableCoupon } from "../../../src/services/coupons/coupons";
import { loadInvoicedAccount } from "../../../src/services/invoices/invoicedAccount";
import { loadInvoiceDetail } from "../../../src/services/invoices/loadInvoice";
import { usablePaymentMethod } from "../../../src/services/paymentMethods/paymentMethods";
import { loadPlan } from "../../../src/services/plans/plans";
import { tenantToday } from "../../../src/services/settings/settings";
import { subscriptionWhere } from "../../../src/services/subscriptions/loadSubscription";
import { upcomingInvoice } from "../../../src/services/subscriptions/periodInvoice";
import { commit } from "../commit";
import type { AccountInputs } from "../contract";
import { commitBillDue } from "./billDue";

type CreateRequest = AccountInputs["createSubscription"];

export async function commitCreateSubscription(ctx: ServiceContext, input: CreateRequest) {
	const account = await loadInvoicedAccount(ctx, input.customer_id);
	const { customer } = account;
	const plan = await loadPlan(ctx, input.plan_id).catch(() => null);
	if (!plan) {
		if (input.missingAs === "not_found") throw notFound("plan", input.plan_id);
		throw fieldInvalid("body", "plan_id", `no plan '${input.plan_id}' exists`);
	}
	if (plan.status !== "active")
		throw new AppError("invalid_state", `Plan ${plan.id} is archived; it takes no new subscribers.`, {
			extensions: { current_status: plan.status },
		});
	if (customer.status !== "active")
		throw new AppError("invalid_state", `Customer ${customer.id} is deleted.`, {
			extensions: { current_status: customer.status },
		});
	if (input.payment_method_id) await usablePaymentMethod(ctx, customer.id, input.payment_method_id);
	const promotion = input.promo_code ? await redeemableCoupon(ctx, input.promo_code, plan.currency) : null;
	const today = await tenantToday(ctx);
	const startDate = input.start_date ?? today;
	const trialDays = input.trial_days ?? (input.trial ? plan.trialPeriodDays : 0);
	const trialEnd = trialDays > 0 ? addInterval(startDate, "day", 1, trialDays) : null;
	// Billing starts when the trial ends; the cycle may be anchored later (its own anchor, or the
	// plan's billing day), and the days up to that anchor are billed pro rata.
	const firstBillingDate = trialEnd ?? startDate;
	const anchor =
		input.billing_cycle_anchor ??
		(plan.billingDay !== null && (plan.interval === "month" || plan.interval === "year")
			? billingDayAnchor(firstBillingDate, plan.billingDay)
			: firstBillingDate);
	if (anchor < startDate) throw fieldInvalid("body", "billing_cycle_anchor", "must not be before start_date");
	const now = ctx.clock.now().toISOString();
	const row: SubscriptionRow = {
		id: newId("subscription"),
		tenantId: ctx.tenantId,
		customerId: customer.id,
		planId: plan.id,
		status: trialEnd ? "trialing" : "active",
		quantity: input.quantity,
		billingCycleAnchor: anchor,
		startDate,
		trialEnd,
		currentPeriodStart: trialEnd ? startDate : null,
		currentPeriodEnd: trialEnd,
		nextBillingDate: firstBillingDate,
		cancelAtPeriodEnd: false,
		canceledAt: null,
		endedAt: null,
		pausedAt: null,
		paymentMethodId: input.payment_method_id ?? null,
		promoCode: input.promo_code ?? null,
		couponId: promotion?.coupon.id ?? null,
		couponPeriodsLeft: promotion?.periods ?? null,
		metadata: input.metadata ?? {},
		version: 1,
		createdAt: now,
		updatedAt: now,
	};
	try {
		await commit(ctx, {
			writes: [ctx.db.insert(subscriptions).values(row), ...(promotion ? [promotion.redeem] : [])],
			changes: [
				{
					action: "subscription.created",
					target: { type: "subscription", id: row.id },
					before: null,
					after: { ...presentSubscription(row), plan: presentPlan(plan) },
				},
			],
		});
	} catch (error) {
		// Two subscribers raced for a coupon's last redemption: its CHECK let one through.
		if (promotion && refusalOf(error) === "constraint") {
			throw fieldInvalid("body", "promo_code", "has been redeemed as often as it may be");
		}
		throw error;
	}
	const billed = await commitBillDue(ctx, { customerId: customer.id, date: today, today, subscriptionId: row.id });
	const first = billed.billed[0];
	// A subscription not billed yet previews the invoice its first billing date will issue.
	const firstInvoice = first
		? presentInvoice(await loadInvoiceDetail(ctx, first.invoice_id), today)
		: presentInvoice(
				upcomingInvoice(ctx, account, row, plan, promotion?.coupon ?? null, firstBillingDate),
				today,
				true,
			);
	const fresh = (await ctx.db.select().from(subscriptions).where(subscriptionWhere(ctx, row.id)).get()) ?? row;
	return { ...presentSubscription(fresh), first_invoice: firstInvoice };
}
