import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Decimal, formatDecimal, parseDecimal } from "../../src/domain/decimal";
import {
	balanceOf,
	type ComputedLine,
	computeLine,
	computeTotals,
	type DiscountInput,
	type InvoiceTotals,
	LineError,
	type LineInput,
	QUANTITY_SCALE,
	RATE_SCALE,
	summarizeTaxes,
	type TaxInput,
} from "../../src/domain/invoiceTotals";

const RUNS = { numRuns: 500 };

// ---------------------------------------------------------------------------------------------
// Helpers

function dec(value: string | number, maxScale: number): Decimal {
	const parsed = parseDecimal(value, maxScale);
	if (!parsed) throw new Error(`test fixture: ${value} is not a decimal`);
	return parsed;
}
const qty = (value: string | number) => dec(value, QUANTITY_SCALE);
const rate = (value: string | number) => dec(value, RATE_SCALE);
const percent = (value: string | number): DiscountInput => ({ type: "percent", percent: rate(value) });
const fixed = (amount: number): DiscountInput => ({ type: "amount", amount });
const tax = (jurisdiction: string, value: string | number): TaxInput => ({ jurisdiction, rate: rate(value) });

function line(
	quantity: string | number,
	unitPrice: number,
	options: { discounts?: DiscountInput[]; taxes?: TaxInput[]; description?: string; sku?: string | null } = {},
): LineInput {
	return {
		description: options.description ?? "Item",
		sku: options.sku ?? null,
		quantity: qty(quantity),
		unitPrice,
		discounts: options.discounts ?? [],
		taxes: options.taxes ?? [],
	};
}

/** The figures of a computed line, without the echoed input. */
const figures = (l: ComputedLine) => ({
	amount: l.amount,
	discountAmount: l.discountAmount,
	netAmount: l.netAmount,
	taxes: l.taxes.map((t) => t.amount),
	taxAmount: l.taxAmount,
	total: l.total,
});

const invoiceFigures = (t: InvoiceTotals) => ({
	subtotal: t.subtotal,
	discountTotal: t.discountTotal,
	taxTotal: t.taxTotal,
	total: t.total,
});

function lineErrorOf(run: () => unknown): LineError {
	try {
		run();
	} catch (error) {
		if (error instanceof LineError) return error;
		throw error;
	}
	throw new Error("expected a LineError");
}

const sum = (values: readonly number[]) => values.reduce((s, v) => s + v, 0);
const pow10 = (n: number) => 10n ** BigInt(n);

/** Independent reference for the rounding rule: truncate, then step away from zero on ≥ half. */
function refRound(n: bigint, d: bigint): bigint {
	const q = n / d;
	const r = n % d;
	const twiceRemainder = (r < 0n ? -r : r) * 2n;
	if (twiceRemainder < (d < 0n ? -d : d)) return q;
	return n < 0n !== d < 0n ? q - 1n : q + 1n;
}

const refAmount = (quantity: Decimal, unitPrice: number) =>
	refRound(quantity.units * BigInt(unitPrice), pow10(quantity.scale));
const refPercentOf = (base: bigint, r: Decimal) => refRound(base * r.units, 100n * pow10(r.scale));
/** The documented rule: percents are summed exactly, rounded once, then fixed amounts are added. */
const refDiscount = (amount: bigint, discounts: readonly DiscountInput[]) => {
	const percents = discounts.flatMap((d) => (d.type === "percent" ? [d.percent] : []));
	const scale = Math.max(0, ...percents.map((p) => p.scale));
	const percentSum = { units: percents.reduce((s, p) => s + p.units * 10n ** BigInt(scale - p.scale), 0n), scale };
	const fixed = discounts.reduce((s, d) => (d.type === "amount" ? s + BigInt(d.amount) : s), 0n);
	return (percents.length ? refPercentOf(amount, percentSum) : 0n) + fixed;
};

// ---------------------------------------------------------------------------------------------
// Arbitraries

/** Normalizes through the parser, like the API does. */
const canonical = (units: bigint, scale: number) => dec(formatDecimal({ units, scale }), scale);

const quantityArb = fc
	.oneof(
		fc.bigInt({ min: 1n, max: 10n ** 6n }), // (0, 1]
		fc.bigInt({ min: 1n, max: 10n ** 10n }), // (0, 10000]
		fc.integer({ min: 1, max: 100 }).map((n) => BigInt(n) * 10n ** 6n), // whole units
	)
	.map((units) => canonical(units, QUANTITY_SCALE));

const unitPriceArb = fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1_000_000_000 }));

const rateArb = fc.oneof(
	fc.constantFrom("0", "5", "7", "8", "8.875", "10", "19", "20", "100").map(rate),
	fc.integer({ min: 0, max: 100 * 10 ** RATE_SCALE }).map((units) => canonical(BigInt(units), RATE_SCALE)),
);

const taxesArb = fc.uniqueArray(
	fc.record({ jurisdiction: fc.constantFrom("DE", "FR", "NY", "NYC", "JP"), rate: rateArb }),
	{
		maxLength: 3,
		selector: (t) => t.jurisdiction,
	},
);

/** A fixed discount is drawn as a share (ppm) of the line amount, so it is meaningful at every size. */
type RawDiscount = { type: "percent"; percent: Decimal } | { type: "share"; ppm: number };
const rawDiscountArb: fc.Arbitrary<RawDiscount> = fc.oneof(
	rateArb.map((p) => ({ type: "percent" as const, percent: p })),
	fc.integer({ min: 0, max: 1_000_000 }).map((ppm) => ({ type: "share" as const, ppm })),
);

const lineArb: fc.Arbitrary<LineInput> = fc
	.record({
		description: fc.string({ maxLength: 12 }),
		sku: fc.option(fc.string({ minLength: 1, maxLength: 6 }), { nil: null }),
		quantity: quantityArb,
		unitPrice: unitPriceArb,
		rawDiscounts: fc.array(rawDiscountArb, { maxLength: 3 }),
		taxes: taxesArb,
	})
	.map(({ rawDiscounts, ...rest }) => {
		const amount = refAmount(rest.quantity, rest.unitPrice);
		const discounts: DiscountInput[] = rawDiscounts.map((d) =>
			d.type === "percent" ? d : { type: "amount", amount: Number((amount * BigInt(d.ppm)) / 1_000_000n) },
		);
		// Keep the discounts within the line amount: drop from the end until they fit.
		while (refDiscount(amount, discounts) > amount) discounts.pop();
		return { ...rest, discounts };
	});

const linesArb = fc.array(lineArb, { maxLength: 8 });

// ---------------------------------------------------------------------------------------------
// Worked examples (expected values computed by hand)

describe("computeLine: worked examples", () => {
	it("EUR: 2.5 × €120.00, 10 % off, 19 % VAT", () => {
		const computed = computeLine(line("2.5", 12000, { discounts: [percent(10)], taxes: [tax("DE", 19)] }), 0);
		// 2.5 × 12000 = 30000; 10 % = 3000; net 27000; 19 % = 5130; total 32130
		expect(figures(computed)).toEqual({
			amount: 30000,
			discountAmount: 3000,
			netAmount: 27000,
			taxes: [5130],
			taxAmount: 5130,
			total: 32130,
		});
	});

	it("echoes the input in canonical form", () => {
		const computed = computeLine(
			line("2.500", 12000, {
				description: "Consulting",
				sku: "CONS-H",
				discounts: [percent("10.00"), fixed(250)],
				taxes: [tax("DE", "19.0"), tax("NYC", "8.8750")],
			}),
			0,
		);
		expect(computed).toMatchObject({
			description: "Consulting",
			sku: "CONS-H",
			quantity: "2.5",
			unitPrice: 12000,
			discounts: [
				{ type: "percent", percent: "10" },
				{ type: "amount", amount: 250 },
			],
		});
		expect(computed.taxes.map((t) => [t.jurisdiction, t.rate])).toMatchObject([
			["DE", "19"],
			["NYC", "8.875"],
		]);
	});

	it("EUR: a half-cent tax rounds away from zero (19 % of €10.50 = 199.5 → 200)", () => {
		expect(figures(computeLine(line(1, 1050, { taxes: [tax("DE", 19)] }), 0))).toEqual({
			amount: 1050,
			discountAmount: 0,
			netAmount: 1050,
			taxes: [200],
			taxAmount: 200,
			total: 1250,
		});
	});

	it("EUR: a half-cent amount rounds away from zero (0.5 × 5 = 2.5 → 3)", () => {
		expect(computeLine(line("0.5", 5), 0).amount).toBe(3);
		expect(computeLine(line("0.5", 3), 0).amount).toBe(2); // 1.5 → 2
		expect(computeLine(line("0.5", 1), 0).amount).toBe(1); // 0.5 → 1
		expect(computeLine(line("0.4", 1), 0).amount).toBe(0); // 0.4 → 0
		expect(computeLine(line("0.333333", 3), 0).amount).toBe(1); // 0.999999 → 1
	});

	it("EUR: a half-cent percent discount rounds away from zero (10 % of 25 = 2.5 → 3)", () => {
		// net 22; 10 % tax = 2.2 → 2
		expect(figures(computeLine(line(1, 25, { discounts: [percent(10)], taxes: [tax("DE", 10)] }), 0))).toEqual({
			amount: 25,
			discountAmount: 3,
			netAmount: 22,
			taxes: [2],
			taxAmount: 2,
			total: 24,
		});
	});

	it("USD: an 8.875 % tax (3 × $19.99 = 5997; 532.23375 → 532)", () => {
		expect(figures(computeLine(line(3, 1999, { taxes: [tax("NYC", "8.875")] }), 0))).toEqual({
			amount: 5997,
			discountAmount: 0,
			netAmount: 5997,
			taxes: [532],
			taxAmount: 532,
			total: 6529,
		});
		// 8.875 % of $100.00 = 887.5 → 888
		expect(computeLine(line(1, 10000, { taxes: [tax("NYC", 8.875)] }), 0).taxAmount).toBe(888);
	});

	it("USD: two taxes on one line are each rounded once (state 4 % + city 4.875 % on $10.10)", () => {
		const computed = computeLine(line(1, 1010, { taxes: [tax("NY", 4), tax("NYC", "4.875")] }), 0);
		// 40.4 → 40 and 49.2375 → 49: 89 (a single 8.875 % rate would give 89.6375 → 90)
		expect(computed.taxes).toMatchObject([
			{ jurisdiction: "NY", rate: "4", amount: 40 },
			{ jurisdiction: "NYC", rate: "4.875", amount: 49 },
		]);
		expect(computed.taxAmount).toBe(89);
		expect(computed.total).toBe(1099);
	});

	it("JPY: 3 × ¥333 with 10 % tax = ¥999 + ¥100 (99.9 → 100)", () => {
		expect(figures(computeLine(line(3, 333, { taxes: [tax("JP", 10)] }), 0))).toEqual({
			amount: 999,
			discountAmount: 0,
			netAmount: 999,
			taxes: [100],
			taxAmount: 100,
			total: 1099,
		});
	});

	it("JPY: a fractional quantity of yen rounds to whole yen (0.5 × ¥15 = 7.5 → ¥8)", () => {
		expect(computeLine(line("0.5", 15), 0).amount).toBe(8);
	});

	it("KWD: 1.5 × 1.234 KWD = 1851 fils, 5 % tax 92.55 → 93", () => {
		expect(figures(computeLine(line("1.5", 1234, { taxes: [tax("KW", 5)] }), 0))).toEqual({
			amount: 1851,
			discountAmount: 0,
			netAmount: 1851,
			taxes: [93],
			taxAmount: 93,
			total: 1944,
		});
		// 0.333 × 1234 = 410.922 → 411 fils
		expect(computeLine(line("0.333", 1234), 0).amount).toBe(411);
	});

	it("a fixed amount discount plus a percent discount (the percent applies to the amount)", () => {
		// 4 × 2500 = 10000; 10 % = 1000; + 500 fixed = 1500; net 8500; 19 % = 1615; total 10115
		const expected = {
			amount: 10000,
			discountAmount: 1500,
			netAmount: 8500,
			taxes: [1615],
			taxAmount: 1615,
			total: 10115,
		};
		expect(
			figures(computeLine(line(4, 2500, { discounts: [percent(10), fixed(500)], taxes: [tax("DE", 19)] }), 0)),
		).toEqual(expected);
		expect(
			figures(computeLine(line(4, 2500, { discounts: [fixed(500), percent(10)], taxes: [tax("DE", 19)] }), 0)),
		).toEqual(expected);
	});

	it("two percent discounts are each rounded on the amount (10 % + 5 % of 999 = 100 + 50)", () => {
		expect(computeLine(line(1, 999, { discounts: [percent(10), percent(5)] }), 0)).toMatchObject({
			discountAmount: 150,
			netAmount: 849,
			total: 849,
		});
	});

	it("discounts equal to the amount leave nothing to tax", () => {
		for (const discounts of [[fixed(1000)], [percent(100)], [percent(60), fixed(400)]]) {
			expect(figures(computeLine(line(1, 1000, { discounts, taxes: [tax("DE", 19)] }), 0))).toEqual({
				amount: 1000,
				discountAmount: 1000,
				netAmount: 0,
				taxes: [0],
				taxAmount: 0,
				total: 0,
			});
		}
	});

	it("a zero price, a zero rate and a zero discount are all fine", () => {
		expect(figures(computeLine(line(5, 0, { discounts: [percent(0), fixed(0)], taxes: [tax("DE", 0)] }), 0))).toEqual({
			amount: 0,
			discountAmount: 0,
			netAmount: 0,
			taxes: [0],
			taxAmount: 0,
			total: 0,
		});
		expect(computeLine(line(1, 1000, { taxes: [tax("XX", 0)] }), 0).taxAmount).toBe(0);
		expect(computeLine(line(1, 1000, { taxes: [tax("XX", 100)] }), 0).taxAmount).toBe(1000);
	});

	it("the largest schema values stay exact (1e9 × 1e6 minor units)", () => {
		expect(computeLine(line(1_000_000_000, 1_000_000), 0).amount).toBe(1e15);
		expect(computeLine(line("0.000001", 1_000_000_000), 0).amount).toBe(1000);
	});
});

describe("computeLine: errors", () => {
	it("throws a LineError on the discounts field when they exceed the amount", () => {
		for (const discounts of [
			[fixed(10001)],
			[percent(60), percent(50)],
			[percent(100), fixed(1)],
			[fixed(5000), fixed(5001)],
		]) {
			const error = lineErrorOf(() => computeLine(line(1, 10000, { discounts }), 7));
			expect(error).toBeInstanceOf(Error);
			expect(error.index).toBe(7);
			expect(error.field).toBe("discounts");
			expect(error.message).toBe("discounts exceed the line amount");
		}
	});

	it("computeTotals reports the index of the first offending line", () => {
		const ok = line(1, 10000, { discounts: [fixed(10000)] });
		const error = lineErrorOf(() =>
			computeTotals([ok, ok, line(1, 10000, { discounts: [fixed(10001)] }), line(1, 1, { discounts: [fixed(2)] })]),
		);
		expect(error).toMatchObject({ index: 2, field: "discounts" });
		expect(lineErrorOf(() => computeTotals([line(1, 100, { discounts: [percent(101)] })])).index).toBe(0);
	});

	it("refuses amounts beyond 2^53 with a RangeError, not a LineError", () => {
		// 10^9 × 10^14 = 10^23 minor units on one line
		expect(() => computeLine(line(1_000_000_000, 1e14), 0)).toThrow(RangeError);
		// two lines of 5·10^15 each: the line figures are safe, the sum is not
		const big = line(50, 1e14);
		expect(computeLine(big, 0).amount).toBe(5e15);
		expect(() => computeTotals([big, big])).toThrow(RangeError);
	});

	// Percents are added before the one rounding: rounded one by one, 70 % + 30 % of 1005 would be
	// 704 + 302 = 1006 and exceed the amount.
	it("accepts percent discounts that add up to 100 %", () => {
		const priced = computeLine(line(1, 1005, { discounts: [percent(70), percent(30)] }), 0);
		expect(priced).toMatchObject({ discountAmount: 1005, netAmount: 0, total: 0 });
	});
});

describe("computeTotals: worked examples", () => {
	it("an empty invoice is all zeros", () => {
		expect(computeTotals([])).toEqual({
			lines: [],
			taxLines: [],
			subtotal: 0,
			discountTotal: 0,
			taxTotal: 0,
			total: 0,
		});
	});

	it("EUR: two lines with a discount and one VAT rate", () => {
		const totals = computeTotals([
			line("2.5", 12000, { discounts: [percent(10)], taxes: [tax("DE", 19)] }), // 30000 − 3000 = 27000; 5130
			line(1, 5000, { taxes: [tax("DE", 19)] }), // 5000; 950
		]);
		expect(invoiceFigures(totals)).toEqual({ subtotal: 35000, discountTotal: 3000, taxTotal: 6080, total: 38080 });
		expect(totals.taxLines).toMatchObject([{ jurisdiction: "DE", rate: "19", taxableAmount: 32000, amount: 6080 }]);
	});

	it("one jurisdiction and rate on several lines is one tax line, summing the rounded line taxes", () => {
		const totals = computeTotals([
			line(1, 1050, { taxes: [tax("DE", "19")] }), // 199.5 → 200
			line(1, 1050, { taxes: [tax("DE", 19)] }), // 199.5 → 200
			line(2, 500, { taxes: [tax("DE", "19.00")] }), // 190
		]);
		// A rate rounded once on 3100 would give 589; the rule sums the line taxes: 590.
		expect(totals.taxLines).toMatchObject([{ jurisdiction: "DE", rate: "19", taxableAmount: 3100, amount: 590 }]);
		expect(invoiceFigures(totals)).toEqual({ subtotal: 3100, discountTotal: 0, taxTotal: 590, total: 3690 });
	});

	it("JPY: two rates for one jurisdiction stay apart (8 % reduced, 10 % standard)", () => {
		const totals = computeTotals([
			line(2, 540, { taxes: [tax("JP", 8)] }), // 1080; 86.4 → 86
			line(1, 1100, { taxes: [tax("JP", 10)] }), // 1100; 110
			line(1, 216, { taxes: [tax("JP", 8)] }), // 216; 17.28 → 17
		]);
		expect(totals.taxLines).toMatchObject([
			{ jurisdiction: "JP", rate: "8", taxableAmount: 1296, amount: 103 },
			{ jurisdiction: "JP", rate: "10", taxableAmount: 1100, amount: 110 },
		]);
		expect(invoiceFigures(totals)).toEqual({ subtotal: 2396, discountTotal: 0, taxTotal: 213, total: 2609 });
	});

	it("one rate in two jurisdictions stays apart", () => {
		const totals = computeTotals([
			line(1, 1000, { taxes: [tax("FR", 20)] }),
			line(1, 2000, { taxes: [tax("AT", 20)] }),
		]);
		expect(totals.taxLines).toMatchObject([
			{ jurisdiction: "FR", rate: "20", taxableAmount: 1000, amount: 200 },
			{ jurisdiction: "AT", rate: "20", taxableAmount: 2000, amount: 400 },
		]);
	});

	it("USD: state and city taxes on several lines give one tax line each", () => {
		const taxes = [tax("NY", 4), tax("NYC", "4.875")];
		const totals = computeTotals([
			line(1, 1010, { taxes }), // 40, 49
			line(3, 1999, { discounts: [fixed(997)], taxes }), // 5997 − 997 = 5000; 200, 243.75 → 244
			line(1, 500), // untaxed
		]);
		expect(totals.taxLines).toMatchObject([
			{ jurisdiction: "NY", rate: "4", taxableAmount: 6010, amount: 240 },
			{ jurisdiction: "NYC", rate: "4.875", taxableAmount: 6010, amount: 293 },
		]);
		expect(invoiceFigures(totals)).toEqual({ subtotal: 7507, discountTotal: 997, taxTotal: 533, total: 7043 });
	});

	it("KWD: fils throughout", () => {
		const totals = computeTotals([
			line("1.5", 1234, { taxes: [tax("KW", 5)] }), // 1851; 92.55 → 93
			line("0.333", 1234, { discounts: [fixed(11)], taxes: [tax("KW", 5)] }), // 411 − 11 = 400; 20
		]);
		expect(invoiceFigures(totals)).toEqual({ subtotal: 2262, discountTotal: 11, taxTotal: 113, total: 2364 });
		expect(totals.taxLines).toMatchObject([{ jurisdiction: "KW", rate: "5", taxableAmount: 2251, amount: 113 }]);
	});
});

describe("summarizeTaxes", () => {
	it("groups by jurisdiction and rate, in first-seen order", () => {
		const taxLines = summarizeTaxes([
			{ netAmount: 100, taxes: [{ jurisdiction: "B", rate: "5", amount: 5 }] },
			{
				netAmount: 200,
				taxes: [
					{ jurisdiction: "A", rate: "5", amount: 10 },
					{ jurisdiction: "B", rate: "5", amount: 10 },
				],
			},
			{ netAmount: 300, taxes: [] },
			{ netAmount: 400, taxes: [{ jurisdiction: "B", rate: "7.5", amount: 30 }] },
		]);
		expect(taxLines).toMatchObject([
			{ jurisdiction: "B", rate: "5", taxableAmount: 300, amount: 15 },
			{ jurisdiction: "A", rate: "5", taxableAmount: 200, amount: 10 },
			{ jurisdiction: "B", rate: "7.5", taxableAmount: 400, amount: 30 },
		]);
	});

	it("does not confuse jurisdictions whose names run into the rate", () => {
		const taxLines = summarizeTaxes([
			{ netAmount: 1, taxes: [{ jurisdiction: "A1", rate: "5", amount: 1 }] },
			{ netAmount: 1, taxes: [{ jurisdiction: "A", rate: "15", amount: 1 }] },
		]);
		expect(taxLines).toHaveLength(2);
	});

	it("returns nothing for untaxed lines", () => {
		expect(summarizeTaxes([{ netAmount: 100, taxes: [] }])).toMatchObject([]);
	});
});

describe("balanceOf", () => {
	it("is the total less everything settled", () => {
		expect(balanceOf({ total: 10000, amountPaid: 0, amountCredited: 0, amountWrittenOff: 0 })).toBe(10000);
		expect(balanceOf({ total: 10000, amountPaid: 2500, amountCredited: 1000, amountWrittenOff: 500 })).toBe(6000);
		expect(balanceOf({ total: 10000, amountPaid: 4000, amountCredited: 0, amountWrittenOff: 6000 })).toBe(0);
		expect(balanceOf({ total: 0, amountPaid: 0, amountCredited: 0, amountWrittenOff: 0 })).toBe(0);
	});
});

// ---------------------------------------------------------------------------------------------
// Properties

describe("computeTotals: properties", () => {
	it("every figure is a safe integer", () => {
		fc.assert(
			fc.property(linesArb, (lines) => {
				const totals = computeTotals(lines);
				const all = [
					...Object.values(invoiceFigures(totals)),
					...totals.lines.flatMap((l) => [
						l.amount,
						l.discountAmount,
						l.netAmount,
						l.taxAmount,
						l.total,
						...l.taxes.map((t) => t.amount),
					]),
					...totals.taxLines.flatMap((t) => [t.taxableAmount, t.amount]),
				];
				for (const value of all) expect(Number.isSafeInteger(value)).toBe(true);
			}),
			RUNS,
		);
	});

	it("subtotal − discount_total + tax_total = total = Σ line totals", () => {
		fc.assert(
			fc.property(linesArb, (lines) => {
				const t = computeTotals(lines);
				expect(t.subtotal - t.discountTotal + t.taxTotal).toBe(t.total);
				expect(t.total).toBe(sum(t.lines.map((l) => l.total)));
				expect(t.subtotal).toBe(sum(t.lines.map((l) => l.amount)));
				expect(t.discountTotal).toBe(sum(t.lines.map((l) => l.discountAmount)));
				expect(t.taxTotal).toBe(sum(t.lines.map((l) => l.taxAmount)));
			}),
			RUNS,
		);
	});

	it("the tax lines add up to tax_total, and each taxes the nets of the lines carrying it", () => {
		fc.assert(
			fc.property(linesArb, (lines) => {
				const t = computeTotals(lines);
				expect(sum(t.taxLines.map((x) => x.amount))).toBe(t.taxTotal);
				const keys = new Set(t.taxLines.map((x) => `${x.jurisdiction}|${x.rate}`));
				expect(keys.size).toBe(t.taxLines.length);
				for (const taxLine of t.taxLines) {
					const carrying = t.lines.filter((l) =>
						l.taxes.some((x) => x.jurisdiction === taxLine.jurisdiction && x.rate === taxLine.rate),
					);
					expect(carrying.length).toBeGreaterThan(0);
					expect(taxLine.taxableAmount).toBe(sum(carrying.map((l) => l.netAmount)));
					expect(taxLine.amount).toBe(
						sum(
							carrying.flatMap((l) =>
								l.taxes
									.filter((x) => x.jurisdiction === taxLine.jurisdiction && x.rate === taxLine.rate)
									.map((x) => x.amount),
							),
						),
					);
				}
			}),
			RUNS,
		);
	});

	it("each line: net = amount − discount, total = net + Σ taxes, 0 ≤ discount ≤ amount", () => {
		fc.assert(
			fc.property(linesArb, (lines) => {
				const t = computeTotals(lines);
				expect(t.discountTotal).toBeLessThanOrEqual(t.subtotal);
				expect(t.discountTotal).toBeGreaterThanOrEqual(0);
				t.lines.forEach((l, i) => {
					const input = lines[i] as LineInput;
					expect(l.netAmount).toBe(l.amount - l.discountAmount);
					expect(l.taxAmount).toBe(sum(l.taxes.map((x) => x.amount)));
					expect(l.total).toBe(l.netAmount + l.taxAmount);
					expect(l.discountAmount).toBeGreaterThanOrEqual(0);
					expect(l.discountAmount).toBeLessThanOrEqual(l.amount);
					expect(l.taxes).toHaveLength(input.taxes.length);
					for (const x of l.taxes) {
						expect(x.amount).toBeGreaterThanOrEqual(0);
						expect(x.amount).toBeLessThanOrEqual(l.netAmount); // rates are at most 100 %
					}
				});
			}),
			RUNS,
		);
	});

	it("each computed amount is the exact value rounded once, half away from zero", () => {
		fc.assert(
			fc.property(lineArb, (input) => {
				const l = computeLine(input, 0);
				const scale = pow10(input.quantity.scale);
				const exact = input.quantity.units * BigInt(input.unitPrice); // amount × 10^scale
				const error = BigInt(l.amount) * scale - exact;
				expect(2n * (error < 0n ? -error : error) <= scale).toBe(true);
				if (2n * error === -scale) throw new Error("a tie was rounded toward zero");
				input.taxes.forEach((x, i) => {
					const den = 100n * pow10(x.rate.scale);
					const taxError = BigInt(l.taxes[i]?.amount ?? Number.NaN) * den - BigInt(l.netAmount) * x.rate.units;
					expect(2n * (taxError < 0n ? -taxError : taxError) <= den).toBe(true);
					if (2n * taxError === -den) throw new Error("a tax tie was rounded toward zero");
				});
			}),
			RUNS,
		);
	});

	it("matches an independent model of the documented chain", () => {
		fc.assert(
			fc.property(lineArb, (input) => {
				const amount = refAmount(input.quantity, input.unitPrice);
				const discount = refDiscount(amount, input.discounts);
				const net = amount - discount;
				const taxes = input.taxes.map((x) => refPercentOf(net, x.rate));
				const taxAmount = taxes.reduce((s, x) => s + x, 0n);
				expect(figures(computeLine(input, 0))).toEqual({
					amount: Number(amount),
					discountAmount: Number(discount),
					netAmount: Number(net),
					taxes: taxes.map(Number),
					taxAmount: Number(taxAmount),
					total: Number(net + taxAmount),
				});
			}),
			RUNS,
		);
	});

	it("does not depend on line order", () => {
		const permuted = linesArb.chain((lines) =>
			fc.tuple(fc.constant(lines), fc.shuffledSubarray(lines, { minLength: lines.length, maxLength: lines.length })),
		);
		const byKey = (t: InvoiceTotals) =>
			[...t.taxLines].sort((a, b) => `${a.jurisdiction}|${a.rate}`.localeCompare(`${b.jurisdiction}|${b.rate}`));
		fc.assert(
			fc.property(permuted, ([lines, shuffled]) => {
				const a = computeTotals(lines);
				const b = computeTotals(shuffled);
				expect(invoiceFigures(b)).toEqual(invoiceFigures(a));
				expect(byKey(b)).toEqual(byKey(a));
				// Each line is priced on its own: the shuffled lines are the same computed lines.
				shuffled.forEach((input, i) => {
					expect(b.lines[i]).toEqual(a.lines[lines.indexOf(input)]);
				});
			}),
			RUNS,
		);
	});

	it("is deterministic and adds up across invoices (no drift, no invoice-level rounding)", () => {
		fc.assert(
			fc.property(linesArb, linesArb, (first, second) => {
				const once = computeTotals(first);
				expect(computeTotals(first)).toEqual(once);
				expect(computeTotals(structuredClone(first))).toEqual(once);
				expect(once.lines).toEqual(first.map((l, i) => computeLine(l, i)));
				const a = invoiceFigures(once);
				const b = invoiceFigures(computeTotals(second));
				expect(invoiceFigures(computeTotals([...first, ...second]))).toEqual({
					subtotal: a.subtotal + b.subtotal,
					discountTotal: a.discountTotal + b.discountTotal,
					taxTotal: a.taxTotal + b.taxTotal,
					total: a.total + b.total,
				});
			}),
			RUNS,
		);
	});

	it("one more minor unit of unit price moves the amount by floor(quantity)..ceil(quantity)", () => {
		fc.assert(
			fc.property(quantityArb, fc.integer({ min: 0, max: 1_000_000_000 }), (quantity, unitPrice) => {
				const at = (price: number) =>
					computeLine({ description: "x", sku: null, quantity, unitPrice: price, discounts: [], taxes: [] }, 0).amount;
				const scale = pow10(quantity.scale);
				const floor = quantity.units / scale;
				const ceil = (quantity.units + scale - 1n) / scale;
				const step = BigInt(at(unitPrice + 1) - at(unitPrice));
				expect(step <= ceil).toBe(true);
				expect(step >= floor).toBe(true);
			}),
			RUNS,
		);
	});

	it("a line computed alone equals the same line inside an invoice, at any index", () => {
		fc.assert(
			fc.property(linesArb, lineArb, fc.nat(), (lines, extra, at) => {
				const index = lines.length === 0 ? 0 : at % (lines.length + 1);
				const withExtra = [...lines.slice(0, index), extra, ...lines.slice(index)];
				expect(computeTotals(withExtra).lines[index]).toEqual(computeLine(extra, index));
			}),
			RUNS,
		);
	});
});
