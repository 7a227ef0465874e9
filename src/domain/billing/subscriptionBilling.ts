// What a subscription bills by a date, decided without I/O (Kill Bill's invoice generator): which periods
// are due, what each one's invoice lines are, and the state each leaves the subscription in. The account
// object loads the inputs and commits the result; a preview of the next invoice asks the same function.

import { type BillingPeriod, dayBefore, type Interval, periodContaining } from "../billingPeriods";
import type { Decimal } from "../decimal";
import type { DiscountInput } from "../invoiceTotals";
import { prorate } from "../proration";

export type BillingPlan = { name: string; code: string; amount: number; interval: Interval; intervalCount: number };

export type BillingSubscription = {
	status: "trialing" | "active" | "past_due" | "unpaid" | "paused" | "canceled";
	quantity: number;
	billingCycleAnchor: string;
	nextBillingDate: string | null;
	cancelAtPeriodEnd: boolean;
	couponPeriodsLeft: number | null;
};

/** A coupon as billing applies it: a percentage of the line, or an amount off (never more than the line). */
export type BillingCoupon = { percentOff: Decimal | null; amountOff: number | null };

/** An item waiting for the subscription's next invoice (a proration, say). */
export type PendingItem = { id: string; description: string; amount: number };

/** A line billing decides; its taxes are the tax engine's (by the plan's tax code), so it states none. */
export type SubscriptionLine = {
	description: string;
	sku: string;
	quantity: Decimal;
	unit_price: number;
	discounts: DiscountInput[];
};

/** The fields of the subscription a billed period moves. */
export type RenewedState = {
	status: BillingSubscription["status"];
	currentPeriodStart: string;
	currentPeriodEnd: string;
	nextBillingDate: string;
	couponPeriodsLeft: number | null;
};

/** A period to bill: its invoice lines and the state it leaves the subscription in. */
export type PeriodStep = {
	kind: "period";
	start: string;
	period: BillingPeriod;
	lines: SubscriptionLine[];
	/** The pending items its invoice bills (the first period billed takes them all). */
	pendingItemIds: string[];
	after: RenewedState;
	action: "subscription.trial_ended" | "subscription.renewed";
};

/** The subscription ends at `at`, the start of the period it was canceled before. */
export type BillingStep = PeriodStep | { kind: "end"; at: string };

export type BillingInput = {
	subscription: BillingSubscription;
	plan: BillingPlan;
	coupon: BillingCoupon | null;
	pending: readonly PendingItem[];
	/** Bill the periods starting on or before this date. */
	date: string;
	/** Periods billed at most (a long backfill continues on the next call). */
	maxPeriods: number;
};

/**
 * What one unit costs for a period billed from `start`: the plan price, or, when the subscription joins
 * part-way (the stub before a future anchor or billing day), the price of the days left.
 */
const periodUnitPrice = (plan: BillingPlan, period: BillingPeriod, start: string): number =>
	start === period.start ? plan.amount : prorate(plan.amount, period, start, period.end);

/** The coupon's discount on a line while it still has periods left. */
export function couponDiscount(
	coupon: BillingCoupon | null,
	periodsLeft: number | null,
	lineAmount: number,
): DiscountInput[] {
	if (!coupon || periodsLeft === 0) return [];
	if (coupon.percentOff !== null) return [{ type: "percent", percent: coupon.percentOff }];
	return [{ type: "amount", amount: Math.min(coupon.amountOff ?? 0, lineAmount) }];
}

export const pendingItemLine = (
	plan: BillingPlan,
	item: { description: string; amount: number },
): SubscriptionLine => ({
	description: item.description,
	sku: plan.code,
	quantity: { units: 1n, scale: 0 },
	unit_price: item.amount,
	discounts: [],
});

/** The lines of the period starting at `start`: the plan (coupon applied), then the pending items. */
export function periodLines(
	subscription: Pick<BillingSubscription, "quantity" | "couponPeriodsLeft">,
	plan: BillingPlan,
	coupon: BillingCoupon | null,
	start: string,
	period: BillingPeriod,
	pending: readonly PendingItem[],
): SubscriptionLine[] {
	const unitPrice = periodUnitPrice(plan, period, start);
	return [
		{
			description: `${plan.name} (${start} – ${dayBefore(period.end)})`,
			sku: plan.code,
			quantity: { units: BigInt(subscription.quantity), scale: 0 },
			unit_price: unitPrice,
			discounts: couponDiscount(coupon, subscription.couponPeriodsLeft, unitPrice * subscription.quantity),
		},
		...pending.map((item) => pendingItemLine(plan, item)),
	];
}

/** The period containing `start` on the subscription's cycle. */
export const billingPeriodAt = (subscription: BillingSubscription, plan: BillingPlan, start: string) =>
	periodContaining(subscription.billingCycleAnchor, plan.interval, plan.intervalCount, start);

/** The period of the subscription starting at `start`, billed with the pending items. */
export function periodStep(
	subscription: BillingSubscription,
	plan: BillingPlan,
	coupon: BillingCoupon | null,
	pending: readonly PendingItem[],
	start: string,
): PeriodStep {
	const period = billingPeriodAt(subscription, plan, start);
	return {
		kind: "period",
		start,
		period,
		lines: periodLines(subscription, plan, coupon, start, period, pending),
		pendingItemIds: pending.map((item) => item.id),
		after: {
			status: subscription.status === "trialing" ? "active" : subscription.status,
			currentPeriodStart: start,
			currentPeriodEnd: period.end,
			nextBillingDate: period.end,
			couponPeriodsLeft:
				coupon && subscription.couponPeriodsLeft !== null
					? Math.max(0, subscription.couponPeriodsLeft - 1)
					: subscription.couponPeriodsLeft,
		},
		action: subscription.status === "trialing" ? "subscription.trial_ended" : "subscription.renewed",
	};
}

/**
 * Every period of the subscription due by `date`, oldest first, each with its lines and the state it
 * leaves; a subscription canceled at its period's end ends instead of renewing.
 */
export function dueBilling({ subscription, plan, coupon, pending, date, maxPeriods }: BillingInput): BillingStep[] {
	const steps: BillingStep[] = [];
	let current = subscription;
	let waiting = pending;
	while (steps.length < maxPeriods && current.nextBillingDate !== null && current.nextBillingDate <= date) {
		const start = current.nextBillingDate;
		if (current.cancelAtPeriodEnd) {
			steps.push({ kind: "end", at: start });
			break;
		}
		const step = periodStep(current, plan, coupon, waiting, start);
		steps.push(step);
		current = { ...current, ...step.after };
		waiting = [];
	}
	return steps;
}
