import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
	addInterval,
	billingDayAnchor,
	dayBefore,
	daysBetween,
	INTERVALS,
	type Interval,
	isCalendarDate,
	localDate,
	MAX_INTERVAL_COUNT,
	MAX_PERIODS,
	periodContaining,
	periodsBetween,
} from "../../src/domain/billingPeriods";

const RUNS = { numRuns: 500 };

// ---------------------------------------------------------------------------------------------
// Helpers and arbitraries

/** The reference: UTC `Date` arithmetic, independent of the module's day numbers. */
const utcDay = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
const fromUtcDay = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
const renewals = (anchor: string, interval: Interval, count: number, periods: number) =>
	Array.from({ length: periods }, (_, n) => addInterval(anchor, interval, count, n));

/** Dates from 1900 to 2199: three centuries, so 1900 and 2100 (not leap) and 2000 (leap) all appear. */
const dateArb = fc.integer({ min: utcDay("1900-01-01"), max: utcDay("2199-12-31") }).map(fromUtcDay);
/** Anchors biased towards month ends, where clamping happens. */
const anchorArb = fc.oneof(
	dateArb,
	fc
		.tuple(fc.integer({ min: 1900, max: 2199 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 3 }))
		.map(([y, m, back]) => fromUtcDay(Date.UTC(y, m, 0) / 86_400_000 - back)),
	fc
		.integer({ min: 1900, max: 2199 })
		.map((y) => (new Date(Date.UTC(y, 1, 29)).getUTCMonth() === 1 ? `${y}-02-29` : `${y}-02-28`)),
);
const intervalArb = fc.constantFrom(...INTERVALS);
/** Counts up to 365, but mostly small ones, where periods are many and short. */
const countArb = fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: MAX_INTERVAL_COUNT }));
const planArb = fc.record({ anchor: anchorArb, interval: intervalArb, count: countArb });
/** Roughly how many years one period spans. */
const periodYears = (interval: Interval, count: number) =>
	({ day: count / 365, week: (count * 7) / 365, month: count / 12, year: count })[interval];
/** A plan and a period index whose start stays within ~7,000 years of the anchor (so before 9999). */
const planAndIndexArb = planArb.chain((plan) =>
	fc
		.integer({ min: 0, max: Math.min(200, Math.floor(7000 / periodYears(plan.interval, plan.count))) })
		.map((n) => ({ ...plan, n })),
);

// ---------------------------------------------------------------------------------------------

describe("addInterval: a year of monthly renewals", () => {
	// Every list is hand-written: 13 starts, the anchor and the next 12 renewals.
	const cases: [string, string[]][] = [
		[
			"2027-01-01",
			[
				"2027-01-01",
				"2027-02-01",
				"2027-03-01",
				"2027-04-01",
				"2027-05-01",
				"2027-06-01",
				"2027-07-01",
				"2027-08-01",
				"2027-09-01",
				"2027-10-01",
				"2027-11-01",
				"2027-12-01",
				"2028-01-01",
			],
		],
		[
			"2027-01-15",
			[
				"2027-01-15",
				"2027-02-15",
				"2027-03-15",
				"2027-04-15",
				"2027-05-15",
				"2027-06-15",
				"2027-07-15",
				"2027-08-15",
				"2027-09-15",
				"2027-10-15",
				"2027-11-15",
				"2027-12-15",
				"2028-01-15",
			],
		],
		[
			"2027-01-29",
			[
				"2027-01-29",
				"2027-02-28",
				"2027-03-29",
				"2027-04-29",
				"2027-05-29",
				"2027-06-29",
				"2027-07-29",
				"2027-08-29",
				"2027-09-29",
				"2027-10-29",
				"2027-11-29",
				"2027-12-29",
				"2028-01-29",
			],
		],
		[
			"2027-01-30",
			[
				"2027-01-30",
				"2027-02-28",
				"2027-03-30",
				"2027-04-30",
				"2027-05-30",
				"2027-06-30",
				"2027-07-30",
				"2027-08-30",
				"2027-09-30",
				"2027-10-30",
				"2027-11-30",
				"2027-12-30",
				"2028-01-30",
			],
		],
		[
			"2027-01-31",
			[
				"2027-01-31",
				"2027-02-28",
				"2027-03-31",
				"2027-04-30",
				"2027-05-31",
				"2027-06-30",
				"2027-07-31",
				"2027-08-31",
				"2027-09-30",
				"2027-10-31",
				"2027-11-30",
				"2027-12-31",
				"2028-01-31",
			],
		],
		// 2028 is a leap year: February has a 29th.
		[
			"2028-01-01",
			[
				"2028-01-01",
				"2028-02-01",
				"2028-03-01",
				"2028-04-01",
				"2028-05-01",
				"2028-06-01",
				"2028-07-01",
				"2028-08-01",
				"2028-09-01",
				"2028-10-01",
				"2028-11-01",
				"2028-12-01",
				"2029-01-01",
			],
		],
		[
			"2028-01-15",
			[
				"2028-01-15",
				"2028-02-15",
				"2028-03-15",
				"2028-04-15",
				"2028-05-15",
				"2028-06-15",
				"2028-07-15",
				"2028-08-15",
				"2028-09-15",
				"2028-10-15",
				"2028-11-15",
				"2028-12-15",
				"2029-01-15",
			],
		],
		[
			"2028-01-29",
			[
				"2028-01-29",
				"2028-02-29",
				"2028-03-29",
				"2028-04-29",
				"2028-05-29",
				"2028-06-29",
				"2028-07-29",
				"2028-08-29",
				"2028-09-29",
				"2028-10-29",
				"2028-11-29",
				"2028-12-29",
				"2029-01-29",
			],
		],
		[
			"2028-01-30",
			[
				"2028-01-30",
				"2028-02-29",
				"2028-03-30",
				"2028-04-30",
				"2028-05-30",
				"2028-06-30",
				"2028-07-30",
				"2028-08-30",
				"2028-09-30",
				"2028-10-30",
				"2028-11-30",
				"2028-12-30",
				"2029-01-30",
			],
		],
		[
			"2028-01-31",
			[
				"2028-01-31",
				"2028-02-29",
				"2028-03-31",
				"2028-04-30",
				"2028-05-31",
				"2028-06-30",
				"2028-07-31",
				"2028-08-31",
				"2028-09-30",
				"2028-10-31",
				"2028-11-30",
				"2028-12-31",
				"2029-01-31",
			],
		],
	];

	it.each(cases)("anchored on %s", (anchor, expected) => {
		expect(expected).toHaveLength(13);
		expect(renewals(anchor, "month", 1, 13)).toEqual(expected);
		// The same dates, listed as periods between the first and the last.
		expect(periodsBetween(anchor, "month", 1, anchor, expected[12] as string)).toEqual(expected);
	});

	it("anchors on the anchor day, never on the previous (clamped) renewal", () => {
		// Chaining Jan 31 → Feb 28 → Mar 28 is the bug this guards against.
		expect(addInterval("2027-01-31", "month", 1, 2)).toBe("2027-03-31");
		expect(addInterval(addInterval("2027-01-31", "month", 1, 1), "month", 1, 1)).toBe("2027-03-28");
	});

	it("a year is twelve months", () => {
		expect(addInterval("2027-01-31", "month", 12, 1)).toBe("2028-01-31");
		expect(addInterval("2027-01-31", "year", 1, 1)).toBe("2028-01-31");
	});
});

describe("addInterval: other intervals", () => {
	it("yearly on Feb 29 bills on Feb 28 outside leap years and Feb 29 in them", () => {
		expect(renewals("2024-02-29", "year", 1, 5)).toEqual([
			"2024-02-29",
			"2025-02-28",
			"2026-02-28",
			"2027-02-28",
			"2028-02-29",
		]);
	});

	it("yearly on Feb 29 skips century years that are not leap years", () => {
		expect(addInterval("2096-02-29", "year", 1, 4)).toBe("2100-02-28");
		expect(addInterval("2096-02-29", "year", 1, 8)).toBe("2104-02-29");
		expect(addInterval("1996-02-29", "year", 1, 4)).toBe("2000-02-29");
	});

	it("every 2 years", () => {
		expect(renewals("2027-03-31", "year", 2, 4)).toEqual(["2027-03-31", "2029-03-31", "2031-03-31", "2033-03-31"]);
		expect(renewals("2028-02-29", "year", 2, 4)).toEqual(["2028-02-29", "2030-02-28", "2032-02-29", "2034-02-28"]);
	});

	it("every 3 months (quarterly), anchored on the 30th", () => {
		expect(renewals("2026-11-30", "month", 3, 7)).toEqual([
			"2026-11-30",
			"2027-02-28",
			"2027-05-30",
			"2027-08-30",
			"2027-11-30",
			"2028-02-29",
			"2028-05-30",
		]);
	});

	it("every 3 months (quarterly), anchored on the 31st", () => {
		expect(renewals("2027-01-31", "month", 3, 5)).toEqual([
			"2027-01-31",
			"2027-04-30",
			"2027-07-31",
			"2027-10-31",
			"2028-01-31",
		]);
	});

	it("every 6 months across a year end", () => {
		expect(renewals("2027-08-31", "month", 6, 4)).toEqual(["2027-08-31", "2028-02-29", "2028-08-31", "2029-02-28"]);
	});

	it("weekly, across a year end", () => {
		expect(renewals("2026-12-21", "week", 1, 4)).toEqual(["2026-12-21", "2026-12-28", "2027-01-04", "2027-01-11"]);
	});

	it("every 2 weeks, across Feb 29 and across Feb 28", () => {
		expect(renewals("2028-02-22", "week", 2, 3)).toEqual(["2028-02-22", "2028-03-07", "2028-03-21"]);
		expect(renewals("2027-02-22", "week", 2, 3)).toEqual(["2027-02-22", "2027-03-08", "2027-03-22"]);
	});

	it("daily, across Feb 29 and a year end", () => {
		expect(renewals("2028-02-27", "day", 1, 4)).toEqual(["2028-02-27", "2028-02-28", "2028-02-29", "2028-03-01"]);
		expect(renewals("2027-02-27", "day", 1, 3)).toEqual(["2027-02-27", "2027-02-28", "2027-03-01"]);
		expect(renewals("2027-12-30", "day", 1, 3)).toEqual(["2027-12-30", "2027-12-31", "2028-01-01"]);
	});

	it("every 30 days is not monthly", () => {
		expect(renewals("2027-01-31", "day", 30, 3)).toEqual(["2027-01-31", "2027-03-02", "2027-04-01"]);
	});

	it("period 0 is the anchor", () => {
		for (const interval of INTERVALS) expect(addInterval("2027-05-31", interval, 7, 0)).toBe("2027-05-31");
	});

	it.each([
		["anchor not a date", () => addInterval("2027-02-29", "month", 1, 1)],
		["anchor not YYYY-MM-DD", () => addInterval("2027-1-5", "month", 1, 1)],
		["anchor with a time", () => addInterval("2027-01-05T00:00:00Z", "month", 1, 1)],
		["count 0", () => addInterval("2027-01-05", "month", 0, 1)],
		["count 366", () => addInterval("2027-01-05", "day", 366, 1)],
		["fractional count", () => addInterval("2027-01-05", "month", 1.5, 1)],
		["before year 0001", () => addInterval("0001-01-01", "day", 1, -1)],
		["before year 0001 in months", () => addInterval("0001-03-31", "month", 1, -3)],
		["fractional n", () => addInterval("2027-01-05", "month", 1, 0.5)],
		["unknown interval", () => addInterval("2027-01-05", "fortnight" as Interval, 1, 1)],
		["past year 9999", () => addInterval("9999-12-01", "month", 1, 1)],
		["past year 9999 in days", () => addInterval("9999-12-31", "day", 1, 1)],
		["an absurd n", () => addInterval("2027-01-05", "year", 365, Number.MAX_SAFE_INTEGER)],
	])("refuses %s (RangeError)", (_, call) => {
		expect(call).toThrow(RangeError);
	});

	it("counts backwards for a negative n, with the same anchoring", () => {
		expect(addInterval("2028-03-01", "day", 1, -1)).toBe("2028-02-29");
		expect(addInterval("2027-01-01", "day", 1, -1)).toBe("2026-12-31");
		expect(addInterval("2027-03-08", "week", 2, -1)).toBe("2027-02-22");
		expect(addInterval("2027-03-31", "month", 1, -1)).toBe("2027-02-28");
		expect(addInterval("2027-03-31", "month", 1, -2)).toBe("2027-01-31");
		expect(addInterval("2027-01-31", "month", 1, -2)).toBe("2026-11-30");
		expect(addInterval("2029-02-28", "year", 1, -1)).toBe("2028-02-28");
		expect(addInterval("2028-02-29", "year", 1, -4)).toBe("2024-02-29");
		expect(addInterval("0001-01-02", "day", 1, -1)).toBe("0001-01-01");
	});

	it("reaches 9999-12-31 and no further", () => {
		expect(addInterval("9999-11-30", "month", 1, 1)).toBe("9999-12-30");
		expect(addInterval("9999-12-30", "day", 1, 1)).toBe("9999-12-31");
		expect(addInterval("0001-01-01", "year", 1, 9998)).toBe("9999-01-01");
	});
});

describe("periodContaining", () => {
	const monthly31 = (date: string) => periodContaining("2027-01-31", "month", 1, date);

	it("the anchor starts period 0", () => {
		expect(monthly31("2027-01-31")).toEqual({ start: "2027-01-31", end: "2027-02-28", index: 0 });
	});

	it("a start belongs to its period, the day before to the previous one", () => {
		expect(monthly31("2027-02-27")).toEqual({ start: "2027-01-31", end: "2027-02-28", index: 0 });
		expect(monthly31("2027-02-28")).toEqual({ start: "2027-02-28", end: "2027-03-31", index: 1 });
		expect(monthly31("2027-03-30")).toEqual({ start: "2027-02-28", end: "2027-03-31", index: 1 });
		expect(monthly31("2027-03-31")).toEqual({ start: "2027-03-31", end: "2027-04-30", index: 2 });
		expect(monthly31("2027-04-29")).toEqual({ start: "2027-03-31", end: "2027-04-30", index: 2 });
		expect(monthly31("2027-04-30")).toEqual({ start: "2027-04-30", end: "2027-05-31", index: 3 });
	});

	it("a date early in a month can still be in the period that started the month before", () => {
		// Anchored on the 31st: Mar 1 to Mar 30 are in the period that started Feb 28.
		expect(monthly31("2027-03-01")).toEqual({ start: "2027-02-28", end: "2027-03-31", index: 1 });
		expect(monthly31("2028-01-30")).toEqual({ start: "2027-12-31", end: "2028-01-31", index: 11 });
	});

	it("yearly on Feb 29", () => {
		const yearly = (date: string) => periodContaining("2024-02-29", "year", 1, date);
		expect(yearly("2025-02-27")).toEqual({ start: "2024-02-29", end: "2025-02-28", index: 0 });
		expect(yearly("2025-02-28")).toEqual({ start: "2025-02-28", end: "2026-02-28", index: 1 });
		expect(yearly("2028-02-28")).toEqual({ start: "2027-02-28", end: "2028-02-29", index: 3 });
		expect(yearly("2028-02-29")).toEqual({ start: "2028-02-29", end: "2029-02-28", index: 4 });
	});

	it("weekly and daily", () => {
		expect(periodContaining("2027-01-04", "week", 1, "2027-01-10")).toEqual({
			start: "2027-01-04",
			end: "2027-01-11",
			index: 0,
		});
		expect(periodContaining("2027-01-04", "week", 1, "2027-01-11")).toEqual({
			start: "2027-01-11",
			end: "2027-01-18",
			index: 1,
		});
		expect(periodContaining("2027-01-04", "week", 2, "2027-01-31")).toEqual({
			start: "2027-01-18",
			end: "2027-02-01",
			index: 1,
		});
		expect(periodContaining("2028-02-28", "day", 1, "2028-02-29")).toEqual({
			start: "2028-02-29",
			end: "2028-03-01",
			index: 1,
		});
		expect(periodContaining("2027-01-01", "day", 10, "2027-01-21")).toEqual({
			start: "2027-01-21",
			end: "2027-01-31",
			index: 2,
		});
	});

	it("every 3 months", () => {
		expect(periodContaining("2026-11-30", "month", 3, "2027-05-29")).toEqual({
			start: "2027-02-28",
			end: "2027-05-30",
			index: 1,
		});
		expect(periodContaining("2026-11-30", "month", 3, "2027-05-30")).toEqual({
			start: "2027-05-30",
			end: "2027-08-30",
			index: 2,
		});
	});

	it("extends the periods back before the anchor: the stub before a future anchor", () => {
		expect(monthly31("2027-01-30")).toEqual({ start: "2026-12-31", end: "2027-01-31", index: -1 });
		expect(periodContaining("2026-03-31", "month", 1, "2026-02-10")).toEqual({
			start: "2026-01-31",
			end: "2026-02-28",
			index: -2,
		});
		expect(periodContaining("2026-03-31", "month", 3, "2026-02-10")).toEqual({
			start: "2025-12-31",
			end: "2026-03-31",
			index: -1,
		});
		expect(periodContaining("2027-01-31", "day", 1, "1999-12-31").end).toBe("2000-01-01");
		expect(periodContaining("2026-01-08", "week", 1, "2026-01-01")).toEqual({
			start: "2026-01-01",
			end: "2026-01-08",
			index: -1,
		});
	});

	it("puts every date before the anchor inside its period", () => {
		fc.assert(
			fc.property(anchorArb, dateArb, intervalArb, countArb, (anchor, date, interval, count) => {
				fc.pre(date < anchor);
				const period = periodContaining(anchor, interval, count, date);
				expect(period.index).toBeLessThan(0);
				expect(period.start <= date && date < period.end).toBe(true);
				expect(addInterval(anchor, interval, count, period.index)).toBe(period.start);
				expect(addInterval(anchor, interval, count, period.index + 1)).toBe(period.end);
			}),
			RUNS,
		);
	});

	it("refuses invalid dates and plans (RangeError)", () => {
		expect(() => monthly31("2027-02-30")).toThrow(RangeError);
		expect(() => periodContaining("2027-13-01", "month", 1, "2028-01-01")).toThrow(RangeError);
		expect(() => periodContaining("2027-01-01", "month", 0, "2028-01-01")).toThrow(RangeError);
	});
});

describe("periodsBetween", () => {
	const anchor = "2027-01-31";

	it("includes a start equal to either bound", () => {
		expect(periodsBetween(anchor, "month", 1, "2027-02-28", "2027-04-30")).toEqual([
			"2027-02-28",
			"2027-03-31",
			"2027-04-30",
		]);
	});

	it("excludes starts one day outside either bound", () => {
		expect(periodsBetween(anchor, "month", 1, "2027-03-01", "2027-04-29")).toEqual(["2027-03-31"]);
	});

	it("one day: the start on it, or none", () => {
		expect(periodsBetween(anchor, "month", 1, "2027-03-31", "2027-03-31")).toEqual(["2027-03-31"]);
		expect(periodsBetween(anchor, "month", 1, "2027-03-30", "2027-03-30")).toEqual([]);
	});

	it("starts at the anchor when `from` is before it", () => {
		expect(periodsBetween(anchor, "month", 1, "2020-01-01", "2027-03-31")).toEqual([
			"2027-01-31",
			"2027-02-28",
			"2027-03-31",
		]);
	});

	it("is empty when `to` is before the anchor or `from` after `to`", () => {
		expect(periodsBetween(anchor, "month", 1, "2020-01-01", "2027-01-30")).toEqual([]);
		expect(periodsBetween(anchor, "month", 1, "2027-04-30", "2027-02-28")).toEqual([]);
	});

	it("weekly and daily", () => {
		expect(periodsBetween("2027-01-04", "week", 1, "2027-01-05", "2027-01-25")).toEqual([
			"2027-01-11",
			"2027-01-18",
			"2027-01-25",
		]);
		expect(periodsBetween("2028-02-27", "day", 1, "2028-02-28", "2028-03-01")).toEqual([
			"2028-02-28",
			"2028-02-29",
			"2028-03-01",
		]);
	});

	it(`lists up to ${MAX_PERIODS} periods and refuses one more (RangeError)`, () => {
		expect(MAX_PERIODS).toBe(10_000);
		// 2000-01-01 + 9,999 days = 2027-05-18: exactly 10,000 daily starts.
		const all = periodsBetween("2000-01-01", "day", 1, "2000-01-01", "2027-05-18");
		expect(all).toHaveLength(10_000);
		expect(all[0]).toBe("2000-01-01");
		expect(all[9_999]).toBe("2027-05-18");
		expect(() => periodsBetween("2000-01-01", "day", 1, "2000-01-01", "2027-05-19")).toThrow(RangeError);
		// The bound counts the periods listed, not the days spanned.
		expect(periodsBetween("2000-01-01", "day", 1, "2000-01-02", "2027-05-19")).toHaveLength(10_000);
		expect(() => periodsBetween("0001-01-01", "day", 1, "0001-01-01", "9999-12-31")).toThrow(RangeError);
		expect(periodsBetween("0001-01-01", "year", 1, "0001-01-01", "9999-12-31")).toHaveLength(9_999);
		expect(() => periodsBetween("0001-01-01", "month", 1, "0001-01-01", "9999-12-31")).toThrow(RangeError);
	});

	it("refuses invalid bounds (RangeError)", () => {
		expect(() => periodsBetween(anchor, "month", 1, "2027-02-29", "2027-04-30")).toThrow(RangeError);
		expect(() => periodsBetween(anchor, "month", 1, "2027-02-28", "")).toThrow(RangeError);
	});
});

describe("daysBetween", () => {
	it.each([
		["2027-01-01", "2027-01-01", 0],
		["2027-01-01", "2027-01-02", 1],
		["2027-01-02", "2027-01-01", -1],
		["2027-01-31", "2027-02-28", 28],
		["2028-01-31", "2028-02-29", 29],
		["2027-01-01", "2028-01-01", 365],
		["2028-01-01", "2029-01-01", 366],
		["2100-02-28", "2100-03-01", 1],
		["2000-02-28", "2000-03-01", 2],
		["1970-01-01", "2000-01-01", 10_957],
		["0001-01-01", "9999-12-31", 3_652_058],
	])("%s to %s is %i days", (a, b, days) => {
		expect(daysBetween(a, b)).toBe(days);
	});

	it("refuses anything but a calendar date (RangeError)", () => {
		for (const bad of [
			"2027-02-29",
			"2027-00-10",
			"2027-01-32",
			"0000-01-01",
			"27-01-01",
			"2027/01/01",
			" 2027-01-01",
		]) {
			expect(() => daysBetween(bad, "2027-01-01")).toThrow(RangeError);
			expect(() => daysBetween("2027-01-01", bad)).toThrow(RangeError);
		}
	});

	it("agrees with UTC Date arithmetic for any two dates", () => {
		fc.assert(
			fc.property(dateArb, dateArb, (a, b) => {
				expect(daysBetween(a, b)).toBe(utcDay(b) - utcDay(a));
			}),
			RUNS,
		);
	});

	it("isCalendarDate agrees with Date on every day of a leap and a common year", () => {
		for (const year of [2027, 2028, 2100, 2000]) {
			for (let month = 1; month <= 12; month++) {
				for (let day = 0; day <= 32; day++) {
					const text = `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
					const real = new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10) === text;
					expect(isCalendarDate(text), text).toBe(real);
				}
			}
		}
	});
});

describe("localDate", () => {
	it.each([
		// Pacific/Auckland is UTC+13 in the southern summer, UTC+12 in winter.
		["2025-12-31T10:59:59Z", "Pacific/Auckland", "2025-12-31"],
		["2025-12-31T11:00:00Z", "Pacific/Auckland", "2026-01-01"],
		["2026-06-30T11:59:59Z", "Pacific/Auckland", "2026-06-30"],
		["2026-06-30T12:00:00Z", "Pacific/Auckland", "2026-07-01"],
		// America/Los_Angeles is UTC−8 in winter, UTC−7 in summer.
		["2026-01-01T07:59:59Z", "America/Los_Angeles", "2025-12-31"],
		["2026-01-01T08:00:00Z", "America/Los_Angeles", "2026-01-01"],
		["2026-07-01T06:59:59Z", "America/Los_Angeles", "2026-06-30"],
		["2026-07-01T07:00:00Z", "America/Los_Angeles", "2026-07-01"],
		["2026-01-01T00:00:00Z", "UTC", "2026-01-01"],
		["2025-12-31T23:59:59.999Z", "UTC", "2025-12-31"],
		// Offsets in the text are honoured.
		["2026-01-01T00:30:00+01:00", "UTC", "2025-12-31"],
		["2025-12-31T23:30:00-01:00", "UTC", "2026-01-01"],
		["2026-01-01T00:00:00+13:00", "Pacific/Auckland", "2026-01-01"],
	])("%s in %s is %s", (instant, zone, date) => {
		expect(localDate(instant, zone)).toBe(date);
		expect(localDate(new Date(instant), zone)).toBe(date);
	});

	it("on a DST change day, the day still starts at local midnight", () => {
		// Los Angeles springs forward on 2026-03-08 at 02:00 PST: that day has 23 hours; it starts at
		// 08:00Z (PST) and the next day starts at 07:00Z (PDT).
		expect(localDate("2026-03-08T07:59:59Z", "America/Los_Angeles")).toBe("2026-03-07");
		expect(localDate("2026-03-08T08:00:00Z", "America/Los_Angeles")).toBe("2026-03-08");
		expect(localDate("2026-03-08T10:00:00Z", "America/Los_Angeles")).toBe("2026-03-08"); // 03:00 PDT
		expect(localDate("2026-03-09T06:59:59Z", "America/Los_Angeles")).toBe("2026-03-08");
		expect(localDate("2026-03-09T07:00:00Z", "America/Los_Angeles")).toBe("2026-03-09");
		// It falls back on 2026-11-01 at 02:00 PDT: 25 hours, from 07:00Z to 08:00Z the next day.
		expect(localDate("2026-11-01T06:59:59Z", "America/Los_Angeles")).toBe("2026-10-31");
		expect(localDate("2026-11-01T07:00:00Z", "America/Los_Angeles")).toBe("2026-11-01");
		expect(localDate("2026-11-02T07:59:59Z", "America/Los_Angeles")).toBe("2026-11-01");
		expect(localDate("2026-11-02T08:00:00Z", "America/Los_Angeles")).toBe("2026-11-02");
		// Auckland falls back on 2026-04-05 at 03:00 NZDT (UTC+13 → UTC+12).
		expect(localDate("2026-04-04T10:59:59Z", "Pacific/Auckland")).toBe("2026-04-04");
		expect(localDate("2026-04-04T11:00:00Z", "Pacific/Auckland")).toBe("2026-04-05");
		expect(localDate("2026-04-05T11:59:59Z", "Pacific/Auckland")).toBe("2026-04-05");
		expect(localDate("2026-04-05T12:00:00Z", "Pacific/Auckland")).toBe("2026-04-06");
	});

	it("where DST changes at midnight, a day can start at 01:00 or last 25 hours", () => {
		// Chile springs forward at 00:00 on 2026-09-06: local midnight never happens, the day starts at
		// 01:00 −03 (04:00Z).
		expect(localDate("2026-09-06T03:59:59Z", "America/Santiago")).toBe("2026-09-05");
		expect(localDate("2026-09-06T04:00:00Z", "America/Santiago")).toBe("2026-09-06");
		// It falls back at 00:00 on 2026-04-05 to 23:00 on the 4th, which lasts 25 hours.
		expect(localDate("2026-04-05T02:59:59Z", "America/Santiago")).toBe("2026-04-04");
		expect(localDate("2026-04-05T03:00:00Z", "America/Santiago")).toBe("2026-04-04");
		expect(localDate("2026-04-05T04:00:00Z", "America/Santiago")).toBe("2026-04-05");
	});

	it("Kiritimati (UTC+14) and Pago Pago (UTC−11) can be two dates apart", () => {
		const instant = "2026-01-01T10:30:00Z";
		expect(localDate(instant, "Pacific/Kiritimati")).toBe("2026-01-02");
		expect(localDate(instant, "Pacific/Pago_Pago")).toBe("2025-12-31");
	});

	it.each(["Mars/Olympus_Mons", "America/Nowhere", "UTC+1", "local", "", " UTC"])("refuses the zone %j", (zone) => {
		expect(() => localDate("2026-01-01T00:00:00Z", zone)).toThrow(RangeError);
	});

	it("refuses a missing zone instead of using the runtime's", () => {
		expect(() => localDate("2026-01-01T00:00:00Z", undefined as unknown as string)).toThrow(RangeError);
	});

	it.each([
		"2026-01-01T00:00:00", // no offset: Date would read it in the server's local time
		"2026-01-01",
		"2026-01-01 00:00:00Z",
		"yesterday",
		"2026-13-01T00:00:00Z",
	])("refuses the instant %j", (instant) => {
		expect(() => localDate(instant, "UTC")).toThrow(RangeError);
	});

	it("refuses an invalid Date", () => {
		expect(() => localDate(new Date(Number.NaN), "UTC")).toThrow(RangeError);
	});

	it("in UTC, is the date of the ISO instant", () => {
		fc.assert(
			fc.property(
				fc.date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2199-12-31T23:59:59Z"), noInvalidDate: true }),
				(instant) => {
					expect(localDate(instant, "UTC")).toBe(instant.toISOString().slice(0, 10));
					expect(localDate(instant.toISOString(), "UTC")).toBe(instant.toISOString().slice(0, 10));
				},
			),
			RUNS,
		);
	});

	it("in a fixed-offset zone, is the UTC date of the shifted instant", () => {
		// Etc/GMT±N has the POSIX sign: Etc/GMT-5 is UTC+5.
		fc.assert(
			fc.property(
				fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2199-12-31T23:59:59Z"), noInvalidDate: true }),
				fc.integer({ min: -12, max: 14 }),
				(instant, offsetHours) => {
					const zone = offsetHours === 0 ? "Etc/GMT" : `Etc/GMT${offsetHours > 0 ? "-" : "+"}${Math.abs(offsetHours)}`;
					const shifted = new Date(instant.getTime() + offsetHours * 3_600_000);
					expect(localDate(instant, zone)).toBe(shifted.toISOString().slice(0, 10));
				},
			),
			RUNS,
		);
	});

	it("is never more than a day from the UTC date, in any zone", () => {
		const zones = [
			"Pacific/Auckland",
			"Pacific/Kiritimati",
			"Pacific/Pago_Pago",
			"America/Los_Angeles",
			"America/Santiago",
			"Asia/Kolkata",
			"Asia/Kathmandu",
			"Australia/Lord_Howe",
			"Europe/London",
		];
		fc.assert(
			fc.property(
				fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2199-12-31T23:59:59Z"), noInvalidDate: true }),
				fc.constantFrom(...zones),
				(instant, zone) => {
					const utc = instant.toISOString().slice(0, 10);
					expect(Math.abs(daysBetween(utc, localDate(instant, zone)))).toBeLessThanOrEqual(1);
				},
			),
			RUNS,
		);
	});
});

describe("properties", () => {
	it("period starts strictly increase and each period ends where the next starts", () => {
		fc.assert(
			fc.property(planAndIndexArb, ({ anchor, interval, count, n }) => {
				const start = addInterval(anchor, interval, count, n);
				const next = addInterval(anchor, interval, count, n + 1);
				expect(daysBetween(start, next)).toBeGreaterThan(0);
				const period = periodContaining(anchor, interval, count, start);
				expect(period).toEqual({ start, end: next, index: n });
				expect(periodContaining(anchor, interval, count, next)).toEqual({
					start: next,
					end: addInterval(anchor, interval, count, n + 2),
					index: n + 1,
				});
			}),
			RUNS,
		);
	});

	it("every date on or after the anchor lies in exactly one period", () => {
		fc.assert(
			fc.property(planArb, fc.integer({ min: 0, max: 20_000 }), ({ anchor, interval, count }, offset) => {
				const date = fromUtcDay(utcDay(anchor) + offset);
				const { start, end, index } = periodContaining(anchor, interval, count, date);
				expect(start).toBe(addInterval(anchor, interval, count, index));
				expect(end).toBe(addInterval(anchor, interval, count, index + 1));
				expect(daysBetween(start, date)).toBeGreaterThanOrEqual(0);
				expect(daysBetween(date, end)).toBeGreaterThan(0);
				// Starts increase, so the neighbours cannot contain it: the previous one ends at `start`
				// (≤ date), the next one starts at `end` (> date).
				if (index > 0) expect(daysBetween(date, addInterval(anchor, interval, count, index - 1))).toBeLessThan(0);
				expect(daysBetween(addInterval(anchor, interval, count, index + 1), date)).toBeLessThan(0);
			}),
			RUNS,
		);
	});

	it("days and weeks are exact day counts", () => {
		fc.assert(
			fc.property(anchorArb, countArb, fc.integer({ min: -100, max: 100 }), (anchor, count, n) => {
				expect(daysBetween(anchor, addInterval(anchor, "day", count, n))).toBe(count * n);
				expect(daysBetween(anchor, addInterval(anchor, "week", count, n))).toBe(7 * count * n);
			}),
			RUNS,
		);
	});

	it("months land in the target month, on the anchor day clamped to the month's end", () => {
		fc.assert(
			fc.property(anchorArb, countArb, fc.integer({ min: -100, max: 100 }), (anchor, count, n) => {
				const [ay, am, ad] = anchor.split("-").map(Number) as [number, number, number];
				fc.pre(ay + (count * n) / 12 > 1); // backwards, but not past year 0001
				const result = addInterval(anchor, "month", count, n);
				const [ry, rm, rd] = result.split("-").map(Number) as [number, number, number];
				expect(ry * 12 + rm).toBe(ay * 12 + am + count * n);
				const lastDay = new Date(Date.UTC(ry, rm, 0)).getUTCDate();
				expect(rd).toBe(Math.min(ad, lastDay));
			}),
			RUNS,
		);
	});

	it("k months are within 5 days of k average Gregorian months (30.436875 days)", () => {
		// Runs of months drift from the average (Feb is short, leap days come in 4- and 100-year steps)
		// and clamping takes up to 3 days off; over a whole 400-year cycle the worst case is 4.39 days.
		fc.assert(
			fc.property(anchorArb, countArb, fc.integer({ min: 0, max: 100 }), (anchor, count, n) => {
				const months = count * n;
				const days = daysBetween(anchor, addInterval(anchor, "month", count, n));
				// |days − months × 146097 / 4800| < 5, in integers.
				expect(Math.abs(days * 4800 - months * 146_097)).toBeLessThan(5 * 4800);
			}),
			RUNS,
		);
	});

	it("a year is 12 months", () => {
		fc.assert(
			fc.property(anchorArb, fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 100 }), (anchor, count, n) => {
				expect(addInterval(anchor, "year", count, n)).toBe(addInterval(anchor, "month", 12 * count, n));
			}),
			RUNS,
		);
	});

	it("periodsBetween lists exactly the starts within the bounds, in order", () => {
		fc.assert(
			fc.property(
				planArb,
				fc.integer({ min: -400, max: 3000 }),
				fc.integer({ min: -400, max: 3000 }),
				({ anchor, interval, count }, fromOffset, toOffset) => {
					const from = fromUtcDay(utcDay(anchor) + fromOffset);
					const to = fromUtcDay(utcDay(anchor) + toOffset);
					const expected: string[] = [];
					for (let n = 0; ; n++) {
						const start = addInterval(anchor, interval, count, n);
						if (daysBetween(start, to) < 0) break;
						if (daysBetween(from, start) >= 0) expected.push(start);
					}
					expect(periodsBetween(anchor, interval, count, from, to)).toEqual(expected);
				},
			),
			RUNS,
		);
	});
});

describe("billingDayAnchor", () => {
	it("is the first date on or after `from` on exactly the billing day", () => {
		expect(billingDayAnchor("2026-02-10", 15)).toBe("2026-02-15");
		expect(billingDayAnchor("2026-02-15", 15)).toBe("2026-02-15");
		expect(billingDayAnchor("2026-02-16", 15)).toBe("2026-03-15");
		expect(billingDayAnchor("2026-12-20", 1)).toBe("2027-01-01");
	});

	it("skips months too short for the day, so month-end anchoring keeps the day", () => {
		expect(billingDayAnchor("2026-02-10", 31)).toBe("2026-03-31");
		expect(billingDayAnchor("2026-04-01", 31)).toBe("2026-05-31");
		expect(billingDayAnchor("2027-02-01", 29)).toBe("2027-03-29");
		expect(billingDayAnchor("2028-02-01", 29)).toBe("2028-02-29");
		// The stub before it ends on the clamped Feb 28, then bills on the 31st again.
		expect(periodContaining("2026-03-31", "month", 1, "2026-02-10").end).toBe("2026-02-28");
	});

	it("is never before `from`, always on the billing day, and less than a year away", () => {
		fc.assert(
			fc.property(dateArb, fc.integer({ min: 1, max: 31 }), (from, day) => {
				const anchor = billingDayAnchor(from, day);
				expect(anchor >= from).toBe(true);
				expect(Number(anchor.slice(8))).toBe(day);
				expect(daysBetween(from, anchor)).toBeLessThan(366);
			}),
			RUNS,
		);
	});

	it("refuses a day outside 1 to 31 (RangeError)", () => {
		expect(() => billingDayAnchor("2026-01-01", 0)).toThrow(RangeError);
		expect(() => billingDayAnchor("2026-01-01", 32)).toThrow(RangeError);
		expect(() => billingDayAnchor("2026-01-01", 1.5)).toThrow(RangeError);
	});
});

describe("dayBefore", () => {
	it("is the last day of a period ending on a date, across months, leap days and years", () => {
		expect(dayBefore("2026-03-01")).toBe("2026-02-28");
		expect(dayBefore("2028-03-01")).toBe("2028-02-29");
		expect(dayBefore("2027-01-01")).toBe("2026-12-31");
	});
});
