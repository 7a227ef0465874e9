import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
	type BillingPlan,
	type BillingSubscription,
	dueBilling,
	type PeriodStep,
} from "../../src/domain/billing/subscriptionBilling";
import { addInterval } from "../../src/domain/billingPeriods";

const plan: BillingPlan = { name: "Pro", code: "pro", amount: 3000, interval: "month", intervalCount: 1 };
const active: BillingSubscription = {
	status: "active",
	quantity: 2,
	billingCycleAnchor: "2027-01-15",
	nextBillingDate: "2027-01-15",
	cancelAtPeriodEnd: false,
	couponPeriodsLeft: null,
};
const bill = (over: Partial<Parameters<typeof dueBilling>[0]> = {}) =>
	dueBilling({ subscription: active, plan, coupon: null, pending: [], date: "2027-03-15", maxPeriods: 36, ...over });
const periods = (steps: ReturnType<typeof dueBilling>) => steps.filter((s): s is PeriodStep => s.kind === "period");

describe("dueBilling", () => {
	it("bills nothing before the next billing date, or once billing has stopped", () => {
		expect(bill({ date: "2027-01-14" })).toEqual([]);
		expect(bill({ subscription: { ...active, nextBillingDate: null } })).toEqual([]);
	});

	it("bills every period due by the date, oldest first, each leaving the next one's state", () => {
		const steps = periods(bill());
		expect(steps.map((s) => [s.start, s.period.end])).toEqual([
			["2027-01-15", "2027-02-15"],
			["2027-02-15", "2027-03-15"],
			["2027-03-15", "2027-04-15"],
		]);
		expect(steps.at(-1)?.after).toEqual({
			status: "active",
			currentPeriodStart: "2027-03-15",
			currentPeriodEnd: "2027-04-15",
			nextBillingDate: "2027-04-15",
			couponPeriodsLeft: null,
		});
		expect(steps[0]?.lines).toEqual([
			{
				description: "Pro (2027-01-15 – 2027-02-14)",
				sku: "pro",
				quantity: { units: 2n, scale: 0 },
				unit_price: 3000,
				discounts: [],
			},
		]);
		expect(steps.every((s) => s.action === "subscription.renewed")).toBe(true);
	});

	it("stops at maxPeriods: a long backfill continues on the next call", () => {
		expect(bill({ date: "2029-01-01", maxPeriods: 5 })).toHaveLength(5);
	});

	it("ends a trial with the first period billed", () => {
		const steps = periods(bill({ subscription: { ...active, status: "trialing" } }));
		expect(steps.map((s) => [s.action, s.after.status])).toEqual([
			["subscription.trial_ended", "active"],
			["subscription.renewed", "active"],
			["subscription.renewed", "active"],
		]);
	});

	it("keeps a delinquent status: billing does not judge payment", () => {
		expect(periods(bill({ subscription: { ...active, status: "past_due" } })).map((s) => s.after.status)).toEqual([
			"past_due",
			"past_due",
			"past_due",
		]);
	});

	it("puts the pending items on the first period billed only", () => {
		const pending = [
			{ id: "pi_1", description: "Upgrade (proration)", amount: 1234 },
			{ id: "pi_2", description: "Seats (proration)", amount: 66 },
		];
		const steps = periods(bill({ pending }));
		expect(steps.map((s) => s.pendingItemIds)).toEqual([["pi_1", "pi_2"], [], []]);
		expect(steps[0]?.lines.slice(1)).toEqual([
			{
				description: "Upgrade (proration)",
				sku: "pro",
				quantity: { units: 1n, scale: 0 },
				unit_price: 1234,
				discounts: [],
			},
			{
				description: "Seats (proration)",
				sku: "pro",
				quantity: { units: 1n, scale: 0 },
				unit_price: 66,
				discounts: [],
			},
		]);
		expect(steps[1]?.lines).toHaveLength(1);
	});

	it("ends a subscription canceled at period end instead of renewing it", () => {
		expect(bill({ subscription: { ...active, cancelAtPeriodEnd: true } })).toEqual([{ kind: "end", at: "2027-01-15" }]);
	});

	it("charges the stub before a future anchor pro rata", () => {
		// Joined on June 10 with the cycle anchored on July 1: 21 of June's 30 days.
		const steps = periods(
			bill({
				subscription: { ...active, billingCycleAnchor: "2027-07-01", nextBillingDate: "2027-06-10" },
				date: "2027-07-01",
			}),
		);
		expect(steps.map((s) => [s.start, s.period.end, s.lines[0]?.unit_price])).toEqual([
			["2027-06-10", "2027-07-01", 2100],
			["2027-07-01", "2027-08-01", 3000],
		]);
	});

	it("discounts the periods a coupon covers, counting them down, then stops", () => {
		const percent = { percentOff: { units: 25n, scale: 0 }, amountOff: null };
		const steps = periods(bill({ subscription: { ...active, couponPeriodsLeft: 2 }, coupon: percent }));
		expect(steps.map((s) => [s.lines[0]?.discounts, s.after.couponPeriodsLeft])).toEqual([
			[[{ type: "percent", percent: { units: 25n, scale: 0 } }], 1],
			[[{ type: "percent", percent: { units: 25n, scale: 0 } }], 0],
			[[], 0],
		]);
	});

	it("gives a forever coupon on every period, an amount off never above the line", () => {
		const steps = periods(bill({ coupon: { percentOff: null, amountOff: 10_000 } }));
		expect(steps.map((s) => [s.lines[0]?.discounts, s.after.couponPeriodsLeft])).toEqual(
			Array(3).fill([[{ type: "amount", amount: 6000 }], null]),
		);
	});

	it("bills contiguous periods, none after the date, for any plan and anchor", () => {
		const intervals = ["day", "week", "month", "year"] as const;
		fc.assert(
			fc.property(
				fc.constantFrom(...intervals),
				fc.integer({ min: 1, max: 3 }),
				fc.integer({ min: 0, max: 700 }),
				fc.integer({ min: 0, max: 900 }),
				fc.integer({ min: 1, max: 40 }),
				(interval, intervalCount, anchorOffset, span, maxPeriods) => {
					const anchor = addInterval("2026-01-01", "day", 1, anchorOffset);
					const date = addInterval(anchor, "day", 1, span);
					const steps = periods(
						dueBilling({
							subscription: { ...active, billingCycleAnchor: anchor, nextBillingDate: anchor },
							plan: { ...plan, interval, intervalCount },
							coupon: null,
							pending: [],
							date,
							maxPeriods,
						}),
					);
					expect(steps.length).toBeGreaterThan(0);
					expect(steps.length).toBeLessThanOrEqual(maxPeriods);
					expect(steps[0]?.start).toBe(anchor);
					for (const [i, step] of steps.entries()) {
						expect(step.start <= date).toBe(true);
						expect(step.period.start).toBe(step.start);
						expect(step.after.nextBillingDate).toBe(step.period.end);
						if (i > 0) expect(step.start).toBe(steps[i - 1]?.period.end);
					}
					const last = steps.at(-1) as PeriodStep;
					if (steps.length < maxPeriods) expect(last.period.end > date).toBe(true);
				},
			),
		);
	});
});
