import { runBatch } from "../../db/client";
import { subscriptions } from "../../db/schema";
import { addInterval, billingDayAnchor, periodContaining } from "../../domain/billingPeriods";
import type { ServiceContext } from "../../lib/context";
import { AppError, fieldInvalid } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { presentPlan } from "../../schemas/plan";
import { presentSubscription, type SubscriptionCreateInput, type SubscriptionRow } from "../../schemas/subscription";
import { callAccount } from "../accounts/accountClient";
import { changeStatements } from "../changeLog";
import { redeemableCoupon } from "../coupons/coupons";
import { loadCustomer } from "../customers/loadCustomer";
import { loadInvoiceDetail } from "../invoices/loadInvoice";
import { presentInvoice } from "../invoices/presentInvoice";
import { usablePaymentMethod } from "../paymentMethods/paymentMethods";
import { loadPlan } from "../plans/plans";
import { tenantToday } from "../settings/settings";
import { customerContext } from "../testClocks/testClocks";
import { commitBillDue, periodInvoice } from "./billSubscriptions";
import { subscriptionWhere } from "./loadSubscription";

type CreateRequest = SubscriptionCreateInput & { missingAs: "validation" | "not_found" };

/**
 * Subscribes a customer to a plan inside its account object. A subscription that starts active is
 * billed for its first period at once; one in trial gets a preview of the invoice its trial ends with.
 * `missingAs` lets seed 002's surface answer unknown ids with 404 where the canonical API names the field.
 */
export async function createSubscription({
	ctx,
	input,
	missingAs = "validation",
}: {
	ctx: ServiceContext;
	input: SubscriptionCreateInput;
	missingAs?: CreateRequest["missingAs"];
}) {
	const customer = await loadCustomer(ctx, input.customer_id).catch(() => null);
	if (!customer) {
		if (missingAs === "not_found")
			throw new AppError("not_found", `No customer with id '${input.customer_id}' exists.`);
		throw fieldInvalid("body", "customer_id", `no customer '${input.customer_id}' exists`);
	}
	const onClock = await customerContext(ctx, customer);
	return callAccount(onClock, customer.id, (account, request) => account.createSubscription(request), {
		...input,
		missingAs,
	});
}

export async function commitCreateSubscription(ctx: ServiceContext, input: CreateRequest) {
	const customer = await loadCustomer(ctx, input.customer_id);
	const plan = await loadPlan(ctx, input.plan_id).catch(() => null);
	if (!plan) {
		if (input.missingAs === "not_found") throw new AppError("not_found", `No plan with id '${input.plan_id}' exists.`);
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
		await runBatch(ctx.db, [
			ctx.db.insert(subscriptions).values(row),
			...(promotion ? [promotion.redeem] : []),
			...changeStatements(ctx, {
				action: "subscription.created",
				target: { type: "subscription", id: row.id },
				before: null,
				after: { ...presentSubscription(row), plan: presentPlan(plan) },
			}),
		]);
	} catch (error) {
		// Two subscribers raced for a coupon's last redemption: the database let one through.
		if (promotion && String((error as Error).message).includes("coupons_redemptions")) {
			throw fieldInvalid("body", "promo_code", "has been redeemed as often as it may be");
		}
		throw error;
	}
	const billed = await commitBillDue(ctx, { customerId: customer.id, date: today, subscriptionId: row.id });
	const first = billed.billed[0];
	// A subscription not billed yet previews the invoice its first billing date will issue.
	const firstInvoice = first
		? presentInvoice(await loadInvoiceDetail(ctx, first.invoice_id), today)
		: presentInvoice(
				periodInvoice(
					ctx,
					customer,
					row,
					plan,
					firstBillingDate,
					periodContaining(anchor, plan.interval, plan.intervalCount, firstBillingDate),
					[],
					promotion?.coupon ?? null,
				),
				today,
				true,
			);
	const fresh = (await ctx.db.select().from(subscriptions).where(subscriptionWhere(ctx, row.id)).get()) ?? row;
	return { ...presentSubscription(fresh), first_invoice: firstInvoice };
}
