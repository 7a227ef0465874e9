import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addInterval, daysBetween, INTERVALS, type Period } from "../../src/domain/billingPeriods";
import { cancellationCredit, planChange, prorate } from "../../src/domain/proration";

const RUNS = { numRuns: 500 };

// ---------------------------------------------------------------------------------------------
// Helpers and arbitraries

const utcDay = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
const fromUtcDay = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
const plusDays = (date: string, days: number) => fromUtcDay(utcDay(date) + days);

const MAX = Number.MAX_SAFE_INTEGER;
/** Amounts of every size and sign, mostly ordinary prices. */
const amountArb = fc.oneof(
	fc.integer({ min: -1_000_000, max: 1_000_000 }),
	fc.integer({ min: -MAX, max: MAX }),
	fc.constantFrom(0, 1, -1, MAX, -MAX),
);

/** A real billing period: one period of a random plan. */
const periodArb = fc
	.record({
		anchor: fc.integer({ min: utcDay("1990-01-01"), max: utcDay("2100-12-31") }).map(fromUtcDay),
		interval: fc.constantFrom(...INTERVALS),
		count: fc.integer({ min: 1, max: 12 }),
		n: fc.integer({ min: 0, max: 24 }),
	})
	.map(({ anchor, interval, count, n }) => ({
		start: addInterval(anchor, interval, count, n),
		end: addInterval(anchor, interval, count, n + 1),
	}));

/** A period and k dates inside it, in order (start and end included). */
const periodWithDates = (k: number) =>
	periodArb.chain((period) =>
		fc
			.array(fc.integer({ min: 0, max: daysBetween(period.start, period.end) }), { minLength: k, maxLength: k })
			.map((offsets) => ({
				period,
				dates: offsets.sort((x, y) => x - y).map((offset) => plusDays(period.start, offset)),
			})),
	);

/** The exact share as a pair of BigInts (numerator, denominator), for checking the rounding. */
const exactShare = (amount: number, period: Period, from: string, to: string) => ({
	numerator: BigInt(amount) * BigInt(daysBetween(from, to)),
	denominator: BigInt(daysBetween(period.start, period.end)),
});

// ---------------------------------------------------------------------------------------------

describe("prorate: worked examples", () => {
	const april: Period = { start: "2027-04-01", end: "2027-05-01" }; // 30 days
	const january: Period = { start: "2027-01-01", end: "2027-02-01" }; // 31 days
	const february: Period = { start: "2027-02-01", end: "2027-03-01" }; // 28 days
	const leapFebruary: Period = { start: "2028-02-01", end: "2028-03-01" }; // 29 days

	it.each([
		// amount, period, from, to, expected, why
		[3000, april, "2027-04-01", "2027-04-11", 1000, "10 of 30 days: exactly a third"],
		[3000, april, "2027-04-21", "2027-05-01", 1000, "the last 10 days, up to the (exclusive) end"],
		[3000, april, "2027-04-01", "2027-05-01", 3000, "the whole period"],
		[3000, april, "2027-04-15", "2027-04-15", 0, "no days"],
		[1000, january, "2027-01-01", "2027-01-02", 32, "1 of 31 days: 32.258… rounds down"],
		[1000, january, "2027-01-01", "2027-01-03", 65, "2 of 31 days: 64.516… rounds up"],
		[1000, january, "2027-01-01", "2027-01-31", 968, "30 of 31 days: 967.741… rounds up"],
		[-1000, january, "2027-01-01", "2027-01-02", -32, "a credit: −32.258… rounds towards zero"],
		[-1000, january, "2027-01-01", "2027-01-03", -65, "a credit: −64.516… rounds away from zero"],
		[45, april, "2027-04-01", "2027-04-02", 2, "1.5 exactly: half away from zero"],
		[-45, april, "2027-04-01", "2027-04-02", -2, "−1.5 exactly: half away from zero"],
		[15, april, "2027-04-01", "2027-04-02", 1, "0.5 exactly: half away from zero"],
		[-15, april, "2027-04-01", "2027-04-02", -1, "−0.5 exactly: half away from zero"],
		[75, april, "2027-04-01", "2027-04-02", 3, "2.5 exactly: 3, not banker's 2"],
		[1, april, "2027-04-01", "2027-04-15", 0, "14/30 of a cent rounds to 0"],
		[1, april, "2027-04-01", "2027-04-16", 1, "15/30 of a cent is a half: 1"],
		[2800, february, "2027-02-15", "2027-03-01", 1400, "14 of 28 days"],
		[2900, leapFebruary, "2028-02-15", "2028-03-01", 1500, "15 of 29 days in a leap February"],
		[999, leapFebruary, "2028-02-29", "2028-03-01", 34, "the leap day alone: 34.448…"],
		[MAX, april, "2027-04-01", "2027-04-16", 4503599627370496, "half of 2^53 − 1 rounds up, exactly"],
		[-MAX, april, "2027-04-01", "2027-05-01", -MAX, "the whole of the largest credit"],
	])("prorate(%i, %j, %s, %s) = %i: %s", (amount, period, from, to, expected) => {
		expect(prorate(amount, period, from, to)).toBe(expected);
	});

	it("a yearly period counts 365 or 366 days", () => {
		expect(prorate(36_500, { start: "2027-01-01", end: "2028-01-01" }, "2027-01-01", "2027-01-02")).toBe(100);
		// 36,600 / 366 = 100: the leap year's extra day dilutes each day's share.
		expect(prorate(36_600, { start: "2028-01-01", end: "2029-01-01" }, "2028-01-01", "2028-01-02")).toBe(100);
		expect(prorate(36_500, { start: "2028-01-01", end: "2029-01-01" }, "2028-01-01", "2028-01-02")).toBe(100); // 99.726…
		expect(prorate(36_500, { start: "2028-01-01", end: "2029-01-01" }, "2028-01-01", "2028-07-01")).toBe(18_150); // 182/366
	});

	it("never returns −0", () => {
		expect(Object.is(prorate(-1, { start: "2027-04-01", end: "2027-05-01" }, "2027-04-01", "2027-04-02"), 0)).toBe(
			true,
		);
		expect(Object.is(prorate(0, { start: "2027-04-01", end: "2027-05-01" }, "2027-04-01", "2027-04-30"), 0)).toBe(true);
	});

	it.each([
		["from before the start", april, "2027-03-31", "2027-04-10"],
		["to after the end", april, "2027-04-10", "2027-05-02"],
		["from after to", april, "2027-04-20", "2027-04-10"],
		["from and to after the end", april, "2027-05-02", "2027-05-03"],
		["an empty period", { start: "2027-04-01", end: "2027-04-01" }, "2027-04-01", "2027-04-01"],
		["a reversed period", { start: "2027-05-01", end: "2027-04-01" }, "2027-04-10", "2027-04-20"],
		["a date that does not exist", april, "2027-04-31", "2027-04-30"],
		["a date with a time", april, "2027-04-10T00:00:00Z", "2027-04-20"],
	])("refuses %s (RangeError)", (_, period, from, to) => {
		expect(() => prorate(1000, period, from, to)).toThrow(RangeError);
	});

	it.each([
		["a fraction of a cent", 10.5],
		["NaN", Number.NaN],
		["Infinity", Number.POSITIVE_INFINITY],
		["2^53", 2 ** 53],
	])("refuses an amount that is %s (RangeError)", (_, amount) => {
		expect(() => prorate(amount, april, "2027-04-01", "2027-04-11")).toThrow(RangeError);
	});
});

describe("planChange: worked examples", () => {
	const april: Period = { start: "2027-04-01", end: "2027-05-01" };

	it("upgrade from 3000 to 6000 with 10 of 30 days left", () => {
		expect(planChange({ oldAmount: 3000, newAmount: 6000, period: april, changeDate: "2027-04-21" })).toEqual({
			credit: -1000,
			charge: 2000,
			net: 1000,
		});
	});

	it("downgrade from 6000 to 3000 on the first day nets the whole difference back", () => {
		expect(planChange({ oldAmount: 6000, newAmount: 3000, period: april, changeDate: "2027-04-01" })).toEqual({
			credit: -6000,
			charge: 3000,
			net: -3000,
		});
	});

	it("rounds credit and charge separately, and net is their exact sum", () => {
		// 29 of 31 days: 999 × 29/31 = 934.548… → 935 and 1999 × 29/31 = 1870.032… → 1870.
		const january: Period = { start: "2027-01-01", end: "2027-02-01" };
		expect(planChange({ oldAmount: 999, newAmount: 1999, period: january, changeDate: "2027-01-03" })).toEqual({
			credit: -935,
			charge: 1870,
			net: 935,
		});
	});

	it("a change to the same price nets to 0", () => {
		const january: Period = { start: "2027-01-01", end: "2027-02-01" };
		expect(planChange({ oldAmount: 1000, newAmount: 1000, period: january, changeDate: "2027-01-02" })).toEqual({
			credit: -968,
			charge: 968,
			net: 0,
		});
	});

	it("on the period's end there is nothing left: every figure is 0, never −0", () => {
		const change = planChange({ oldAmount: 3000, newAmount: 6000, period: april, changeDate: "2027-05-01" });
		expect(change).toEqual({ credit: 0, charge: 0, net: 0 });
		expect(Object.is(change.credit, 0)).toBe(true);
	});

	it("from a free plan and to a free plan", () => {
		expect(planChange({ oldAmount: 0, newAmount: 3000, period: april, changeDate: "2027-04-11" })).toEqual({
			credit: 0,
			charge: 2000,
			net: 2000,
		});
		expect(planChange({ oldAmount: 3000, newAmount: 0, period: april, changeDate: "2027-04-11" })).toEqual({
			credit: -2000,
			charge: 0,
			net: -2000,
		});
	});

	it("refuses a change date outside the period and bad amounts (RangeError)", () => {
		expect(() => planChange({ oldAmount: 1, newAmount: 2, period: april, changeDate: "2027-03-31" })).toThrow(
			RangeError,
		);
		expect(() => planChange({ oldAmount: 1, newAmount: 2, period: april, changeDate: "2027-05-02" })).toThrow(
			RangeError,
		);
		expect(() => planChange({ oldAmount: 1.5, newAmount: 2, period: april, changeDate: "2027-04-02" })).toThrow(
			RangeError,
		);
		expect(() => planChange({ oldAmount: 1, newAmount: Number.NaN, period: april, changeDate: "2027-04-02" })).toThrow(
			RangeError,
		);
	});
});

describe("cancellationCredit: worked examples", () => {
	const april: Period = { start: "2027-04-01", end: "2027-05-01" };

	it.each([
		[3000, "2027-04-01", -3000, "on the first day: everything back"],
		[3000, "2027-04-21", -1000, "with 10 of 30 days left"],
		[3000, "2027-04-30", -100, "on the last day: one day back"],
		[3000, "2027-05-01", 0, "on the end: nothing back"],
		[1000, "2027-04-30", -33, "1/30 of 1000 = 33.33…"],
		[15, "2027-04-30", -1, "0.5 exactly: the credit rounds away from zero"],
	])("%i cancelled on %s → %i (%s)", (amount, cancelDate, expected) => {
		const credit = cancellationCredit({ amount, period: april, cancelDate });
		expect(credit).toBe(expected);
		expect(Object.is(credit, -0)).toBe(false);
	});

	it("refuses a cancel date outside the period (RangeError)", () => {
		expect(() => cancellationCredit({ amount: 3000, period: april, cancelDate: "2027-03-31" })).toThrow(RangeError);
		expect(() => cancellationCredit({ amount: 3000, period: april, cancelDate: "2027-05-02" })).toThrow(RangeError);
	});
});

describe("properties", () => {
	it("prorating the whole period returns the amount, and no days return 0", () => {
		fc.assert(
			fc.property(periodWithDates(1), amountArb, ({ period, dates: [date] }, amount) => {
				expect(prorate(amount, period, period.start, period.end)).toBe(amount);
				expect(prorate(amount, period, date as string, date as string)).toBe(0);
			}),
			RUNS,
		);
	});

	it("is the exact share rounded once, half away from zero", () => {
		fc.assert(
			fc.property(periodWithDates(2), amountArb, ({ period, dates: [from, to] }, amount) => {
				const result = BigInt(prorate(amount, period, from as string, to as string));
				const { numerator, denominator } = exactShare(amount, period, from as string, to as string);
				// |result − n/d| ≤ 1/2, i.e. |2·result·d − 2n| ≤ d ...
				const error = 2n * (result * denominator - numerator);
				expect(error <= denominator && error >= -denominator).toBe(true);
				// ... and on an exact half, away from zero: |result| is the larger of the two candidates.
				if (error === denominator || error === -denominator) {
					const away = result * denominator * (numerator < 0n ? -1n : 1n) > numerator * (numerator < 0n ? -1n : 1n);
					expect(away).toBe(true);
				}
			}),
			RUNS,
		);
	});

	it("is symmetric in sign: a credit is the negated charge", () => {
		fc.assert(
			fc.property(periodWithDates(2), amountArb, ({ period, dates: [from, to] }, amount) => {
				expect(prorate(-amount, period, from as string, to as string)).toBe(
					0 - prorate(amount, period, from as string, to as string),
				);
			}),
			RUNS,
		);
	});

	it("never exceeds the amount and grows with the days used", () => {
		fc.assert(
			fc.property(periodWithDates(3), fc.integer({ min: 0, max: MAX }), ({ period, dates: [a, b, c] }, amount) => {
				const shorter = prorate(amount, period, a as string, b as string);
				const longer = prorate(amount, period, a as string, c as string);
				expect(shorter).toBeGreaterThanOrEqual(0);
				expect(shorter).toBeLessThanOrEqual(longer);
				expect(longer).toBeLessThanOrEqual(amount);
			}),
			RUNS,
		);
	});

	it("[a, b) + [b, c) is within 1 of [a, c)", () => {
		// Each rounding is off by at most ½, so two roundings against one differ by less than 1½.
		fc.assert(
			fc.property(periodWithDates(3), amountArb, ({ period, dates: [a, b, c] }, amount) => {
				const split =
					BigInt(prorate(amount, period, a as string, b as string)) +
					BigInt(prorate(amount, period, b as string, c as string));
				const whole = BigInt(prorate(amount, period, a as string, c as string));
				const diff = split - whole;
				expect(diff >= -1n && diff <= 1n).toBe(true);
			}),
			RUNS,
		);
	});

	it("days used plus days left add up to the amount within 1", () => {
		fc.assert(
			fc.property(periodWithDates(1), amountArb, ({ period, dates: [date] }, amount) => {
				const used = prorate(amount, period, period.start, date as string);
				const left = prorate(amount, period, date as string, period.end);
				expect(Math.abs(used + left - amount)).toBeLessThanOrEqual(1);
			}),
			RUNS,
		);
	});

	it("planChange: credit and charge are the prorated prices, net is exactly their sum", () => {
		const priceArb = fc.oneof(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 0, max: 2 ** 52 }));
		fc.assert(
			fc.property(periodWithDates(1), priceArb, priceArb, ({ period, dates: [changeDate] }, oldAmount, newAmount) => {
				const change = planChange({ oldAmount, newAmount, period, changeDate: changeDate as string });
				expect(change.credit).toBe(0 - prorate(oldAmount, period, changeDate as string, period.end));
				expect(change.charge).toBe(prorate(newAmount, period, changeDate as string, period.end));
				expect(change.net).toBe(change.credit + change.charge);
				for (const figure of Object.values(change)) expect(Object.is(figure, -0)).toBe(false);
				if (oldAmount >= 0) expect(change.credit).toBeLessThanOrEqual(0);
				// The net never moves further than the price difference prorated, plus one rounding.
				const difference = prorate(newAmount - oldAmount, period, changeDate as string, period.end);
				expect(Math.abs(change.net - difference)).toBeLessThanOrEqual(1);
			}),
			RUNS,
		);
	});

	it("planChange: a same-price change nets to exactly 0 (so certainly within 1)", () => {
		fc.assert(
			fc.property(periodWithDates(1), amountArb, ({ period, dates: [changeDate] }, amount) => {
				const change = planChange({ oldAmount: amount, newAmount: amount, period, changeDate: changeDate as string });
				expect(change.net).toBe(0);
				expect(change.credit).toBe(0 - change.charge);
			}),
			RUNS,
		);
	});

	it("cancellationCredit is minus the unused share, and everything on the first day", () => {
		fc.assert(
			fc.property(periodWithDates(1), amountArb, ({ period, dates: [cancelDate] }, amount) => {
				const credit = cancellationCredit({ amount, period, cancelDate: cancelDate as string });
				expect(credit).toBe(0 - prorate(amount, period, cancelDate as string, period.end));
				expect(Object.is(credit, -0)).toBe(false);
				expect(cancellationCredit({ amount, period, cancelDate: period.start })).toBe(0 - amount);
				// The same figure as a change to a free plan.
				expect(credit).toBe(
					planChange({ oldAmount: amount, newAmount: 0, period, changeDate: cancelDate as string }).net,
				);
			}),
			RUNS,
		);
	});
});
