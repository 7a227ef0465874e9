import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Decimal, formatDecimal, parseDecimal, pow10, roundHalfAwayFromZero } from "../../src/domain/decimal";
import {
	describeRating,
	type PriceModel,
	type PriceTier,
	type Rating,
	rateUsage,
	tierProblem,
	UNIT_AMOUNT_SCALE,
} from "../../src/domain/rating";

const RUNS = { numRuns: 500 };
const MAX = Number.MAX_SAFE_INTEGER;

// ---------------------------------------------------------------------------------------------
// Helpers and arbitraries

function dec(value: string, maxScale: number): Decimal {
	const parsed = parseDecimal(value, maxScale);
	if (!parsed) throw new Error(`test fixture: ${value} is not a decimal`);
	return parsed;
}
const qty = (value: string) => dec(value, 6);
const unit = (value: string) => dec(value, UNIT_AMOUNT_SCALE);
const tier = (upTo: string | null, unitAmount: string, flatAmount = 0): PriceTier => ({
	upTo: upTo === null ? null : qty(upTo),
	unitAmount: unit(unitAmount),
	flatAmount,
});
const perUnit = (unitAmount: string, freeUnits = "0"): PriceModel => ({
	model: "per_unit",
	unitAmount: unit(unitAmount),
	freeUnits: qty(freeUnits),
});
const pkg = (packageSize: number, packageAmount: number, freeUnits = "0"): PriceModel => ({
	model: "package",
	packageSize,
	packageAmount,
	freeUnits: qty(freeUnits),
});
const graduated = (...tiers: PriceTier[]): PriceModel => ({ model: "graduated", tiers });
const volume = (...tiers: PriceTier[]): PriceModel => ({ model: "volume", tiers });

const amountOf = (price: PriceModel, quantity: string) => rateUsage(price, qty(quantity)).amount;

/** The tiers of a rating as text, for readable expectations. */
const tierText = (rating: Rating) =>
	rating.tiers.map((t) => ({
		from: formatDecimal(t.from),
		upTo: t.upTo === null ? null : formatDecimal(t.upTo),
		quantity: formatDecimal(t.quantity),
		unitAmount: formatDecimal(t.unitAmount),
		flatAmount: t.flatAmount,
	}));

const toScale = (d: Decimal, scale: number) => d.units * pow10(scale - d.scale);
const compare = (a: Decimal, b: Decimal) => {
	const scale = Math.max(a.scale, b.scale);
	const diff = toScale(a, scale) - toScale(b, scale);
	return diff < 0n ? -1 : diff > 0n ? 1 : 0;
};

/** A quantity of scale 0..6, mostly small, sometimes negative (after downward adjustments). */
const quantityArb: fc.Arbitrary<Decimal> = fc
	.integer({ min: 0, max: 6 })
	.chain((scale) =>
		fc
			.oneof(
				fc.bigInt({ min: 0n, max: 2000n * pow10(scale) }),
				fc.bigInt({ min: 0n, max: 1_000_000_000n * pow10(scale) }),
				fc.bigInt({ min: -1000n * pow10(scale), max: 0n }),
			)
			.map((units) => ({ units, scale })),
	);
const nonNegativeQuantityArb = quantityArb.map((q) => (q.units < 0n ? { ...q, units: -q.units } : q));

/** A unit amount of scale 0..12 up to 10,000 minor units: totals stay within 2^53. */
const unitAmountArb: fc.Arbitrary<Decimal> = fc
	.integer({ min: 0, max: UNIT_AMOUNT_SCALE })
	.chain((scale) =>
		fc
			.oneof(
				fc.bigInt({ min: 0n, max: 10_000n * pow10(scale) }),
				fc.constantFrom(0n, 1n, (5n * pow10(scale)) / 10n || 1n),
			)
			.map((units) => ({ units, scale })),
	);

/** Valid tiers: 1..5 of them, strictly increasing upTo built from positive increments, last unbounded. */
const tiersArb: fc.Arbitrary<PriceTier[]> = fc
	.array(
		fc.record({
			increment: fc
				.integer({ min: 0, max: 6 })
				.chain((scale) => fc.bigInt({ min: 1n, max: 5000n * pow10(scale) }).map((units) => ({ units, scale }))),
			unitAmount: unitAmountArb,
			flatAmount: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1_000_000 })),
		}),
		{ minLength: 1, maxLength: 5 },
	)
	.map((specs) => {
		let upTo: Decimal = { units: 0n, scale: 0 };
		return specs.map((spec, i): PriceTier => {
			const scale = Math.max(upTo.scale, spec.increment.scale);
			upTo = { units: toScale(upTo, scale) + toScale(spec.increment, scale), scale };
			return { upTo: i === specs.length - 1 ? null : upTo, unitAmount: spec.unitAmount, flatAmount: spec.flatAmount };
		});
	});

const packageArb = fc.record({
	packageSize: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 1_000_000 })),
	packageAmount: fc.integer({ min: 0, max: 100_000 }),
	freeUnits: nonNegativeQuantityArb,
});

const priceArb: fc.Arbitrary<PriceModel> = fc.oneof(
	fc.record({ model: fc.constant("per_unit" as const), unitAmount: unitAmountArb, freeUnits: nonNegativeQuantityArb }),
	packageArb.map((p) => ({ model: "package" as const, ...p })),
	tiersArb.map((tiers) => ({ model: "graduated" as const, tiers })),
	tiersArb.map((tiers) => ({ model: "volume" as const, tiers })),
);

/** round(Σ quantity × unitAmount) + Σ flat, with a fixed common scale (6 + 12) rather than the module's. */
function referenceAmount(tiers: readonly { quantity: Decimal; unitAmount: Decimal; flatAmount: number }[]): number {
	const denominator = pow10(6 + UNIT_AMOUNT_SCALE);
	let numerator = 0n;
	for (const t of tiers) {
		numerator += toScale(t.quantity, 6) * toScale(t.unitAmount, UNIT_AMOUNT_SCALE);
		numerator += BigInt(t.flatAmount) * denominator;
	}
	return Number(roundHalfAwayFromZero(numerator, denominator));
}

// ---------------------------------------------------------------------------------------------

describe("per_unit: worked examples", () => {
	it.each([
		// unitAmount, freeUnits, quantity, expected, why
		["0.05", "0", "0", 0, "nothing used"],
		["0.05", "0", "1500", 75, "the brief's example: 1,500 × 0.05"],
		["0.5", "0", "3", 2, "1.5 exactly: half away from zero"],
		["0.5", "0", "1", 1, "0.5 exactly: half away from zero"],
		["0.5", "0", "5", 3, "2.5: 3, not banker's 2"],
		["0.499999999999", "0", "1", 0, "just under a half rounds down"],
		["0.5", "0", "0.000001", 0, "a millionth of a unit at half a cent"],
		["1", "0", "2.5", 3, "a fractional quantity at a whole price: 2.5 → 3"],
		["1000", "0", "1.234567", 1235, "1234.567 rounds up"],
		["1000", "0", "1.2345", 1235, "1234.5 exactly rounds up"],
		["0.000000000001", "0", "1000000", 0, "1e-6 of a cent"],
		["0.000000000001", "0", "500000000000", 1, "exactly 0.5 at the smallest unit amount"],
		["0.000000000001", "0", "499999999999.999999", 0, "a hair under 0.5"],
		["0", "0", "1000000", 0, "a free metric"],
		["7", "0", "1000000000", 7_000_000_000, "far above any tier"],
		["0.05", "100", "50", 0, "free units larger than the quantity"],
		["0.05", "100", "100", 0, "exactly the free units"],
		["0.5", "100", "100.000001", 0, "a millionth above the free units: 0.0000005"],
		["0.5", "100", "101", 1, "one billable unit at half a cent"],
		["0.05", "100", "1500", 70, "1,400 billable units"],
		["1", "0.5", "3.5", 3, "fractional free units"],
		["0.05", "0", "-10", 0, "a negative quantity rates as 0"],
		["0.05", "100", "-10", 0, "a negative quantity with free units"],
	])("%s per unit, %s free: %s → %i (%s)", (unitAmount, freeUnits, quantity, expected) => {
		expect(amountOf(perUnit(unitAmount, freeUnits), quantity)).toBe(expected);
	});

	it("reports the quantity, the billable quantity and one entry for the billable units", () => {
		const rating = rateUsage(perUnit("0.05", "100"), qty("1500.5"));
		expect(formatDecimal(rating.quantity)).toBe("1500.5");
		expect(formatDecimal(rating.billableQuantity)).toBe("1400.5");
		expect(rating.amount).toBe(70); // 70.025
		expect(tierText(rating)).toEqual([
			{ from: "100", upTo: null, quantity: "1400.5", unitAmount: "0.05", flatAmount: 0 },
		]);
	});

	it("lists no entry when nothing is billable, and clamps a negative quantity to 0", () => {
		expect(rateUsage(perUnit("0.05", "100"), qty("40"))).toEqual({
			quantity: qty("40"),
			billableQuantity: { units: 0n, scale: 0 },
			amount: 0,
			tiers: [],
		});
		expect(rateUsage(perUnit("0.05"), qty("-3.25"))).toEqual({
			quantity: { units: 0n, scale: 0 },
			billableQuantity: { units: 0n, scale: 0 },
			amount: 0,
			tiers: [],
		});
	});

	it("amounts up to 2^53 − 1 are exact, beyond that a RangeError", () => {
		expect(amountOf(perUnit("1"), String(MAX))).toBe(MAX);
		expect(amountOf(perUnit("0.5"), "18014398509481982")).toBe(MAX);
		expect(() => amountOf(perUnit("1"), String(MAX + 1))).toThrow(RangeError);
		expect(() => amountOf(perUnit("1000000"), "10000000000")).toThrow(RangeError);
	});

	it("refuses a negative unit amount or negative free units (RangeError)", () => {
		expect(() => rateUsage(perUnit("-0.05"), qty("1"))).toThrow(RangeError);
		expect(() => rateUsage(perUnit("0.05", "-1"), qty("1"))).toThrow(RangeError);
	});
});

describe("package: worked examples", () => {
	it.each([
		// packageSize, packageAmount, freeUnits, quantity, expected, why
		[100, 500, "0", "0", 0, "no usage, no package"],
		[100, 500, "0", "0.000001", 500, "a millionth of a unit starts a package"],
		[100, 500, "0", "1", 500, "one unit is a whole package"],
		[100, 500, "0", "99.999999", 500, "just under a package"],
		[100, 500, "0", "100", 500, "exactly one package"],
		[100, 500, "0", "100.000001", 1000, "just over: a second package"],
		[100, 500, "0", "200", 1000, "exactly two"],
		[100, 500, "0", "201", 1500, "a third started"],
		[100, 500, "0", "1000000000", 5_000_000_000, "far above"],
		[1, 500, "0", "2.5", 1500, "packages of one unit: 2.5 → 3"],
		[1, 500, "0", "3", 1500, "packages of one unit: exactly 3"],
		[100, 0, "0", "250", 0, "free packages"],
		[100, 500, "50", "30", 0, "free units larger than the quantity"],
		[100, 500, "50", "50", 0, "exactly the free units"],
		[100, 500, "50", "50.000001", 500, "just above the free units"],
		[100, 500, "50", "150", 500, "100 billable: one package"],
		[100, 500, "50", "150.000001", 1000, "just above one package after the free units"],
		[100, 500, "0.5", "100.5", 500, "fractional free units"],
		[100, 500, "0", "-150", 0, "a negative quantity rates as 0"],
	])("packages of %i at %i, %s free: %s → %i (%s)", (size, amount, freeUnits, quantity, expected) => {
		expect(amountOf(pkg(size, amount, freeUnits), quantity)).toBe(expected);
	});

	it("explains the amount as one entry with the packages' price as its flat amount", () => {
		const rating = rateUsage(pkg(100, 500, "10"), qty("260"));
		expect(formatDecimal(rating.billableQuantity)).toBe("250");
		expect(rating.amount).toBe(1500);
		expect(tierText(rating)).toEqual([{ from: "10", upTo: null, quantity: "250", unitAmount: "0", flatAmount: 1500 }]);
		expect(rateUsage(pkg(100, 500), qty("0")).tiers).toEqual([]);
	});

	it("amounts beyond 2^53 − 1 are a RangeError", () => {
		expect(amountOf(pkg(1, MAX), "1")).toBe(MAX);
		expect(() => amountOf(pkg(1, MAX), "2")).toThrow(RangeError);
		expect(() => amountOf(pkg(1, 1_000_000), "10000000000")).toThrow(RangeError);
	});

	it.each([
		["a package size of 0", pkg(0, 500)],
		["a fractional package size", pkg(1.5, 500)],
		["a negative package size", pkg(-100, 500)],
		["a negative package amount", pkg(100, -1)],
		["a fractional package amount", pkg(100, 0.5)],
		["a package amount beyond 2^53", pkg(100, 2 ** 53)],
		["negative free units", pkg(100, 500, "-1")],
	])("refuses %s (RangeError)", (_, price) => {
		expect(() => rateUsage(price, qty("1"))).toThrow(RangeError);
	});
});

describe("graduated: worked examples", () => {
	// 100 free units, then 0.5 each up to 1,000 (with a 100 flat fee once reached), then 0.25 each.
	const price = graduated(tier("100", "0"), tier("1000", "0.5", 100), tier(null, "0.25"));

	it.each([
		["0", 0, "nothing used: nothing charged"],
		["0.000001", 0, "inside the free tier"],
		["99.999999", 0, "just under the first bound"],
		["100", 0, "exactly at the first bound: upTo is inclusive, tier 2 untouched"],
		["100.000001", 100, "a millionth into tier 2 brings its flat fee (0.0000005 rounds away)"],
		["101", 101, "one unit of tier 2: 0.5 + 100 = 100.5 → 101"],
		["999.999999", 550, "449.9999995 + 100 rounds up"],
		["1000", 550, "exactly at the second bound: 900 × 0.5 + 100"],
		["1000.000001", 550, "a millionth into tier 3: 0.00000025"],
		["1001", 550, "550.25"],
		["1002", 551, "550.5 → 551"],
		["1000000000", 250_000_300, "far above the last bound: 450 + 100 + 999,999,000 × 0.25"],
		["-5", 0, "a negative quantity rates as 0"],
	])("%s → %i (%s)", (quantity, expected) => {
		expect(amountOf(price, quantity)).toBe(expected);
	});

	it("lists the tiers that received units, each from the previous bound", () => {
		expect(tierText(rateUsage(price, qty("1500")))).toEqual([
			{ from: "0", upTo: "100", quantity: "100", unitAmount: "0", flatAmount: 0 },
			{ from: "100", upTo: "1000", quantity: "900", unitAmount: "0.5", flatAmount: 100 },
			{ from: "1000", upTo: null, quantity: "500", unitAmount: "0.25", flatAmount: 0 },
		]);
		expect(tierText(rateUsage(price, qty("100")))).toEqual([
			{ from: "0", upTo: "100", quantity: "100", unitAmount: "0", flatAmount: 0 },
		]);
		expect(tierText(rateUsage(price, qty("100.000001")))).toEqual([
			{ from: "0", upTo: "100", quantity: "100", unitAmount: "0", flatAmount: 0 },
			{ from: "100", upTo: "1000", quantity: "0.000001", unitAmount: "0.5", flatAmount: 100 },
		]);
		expect(rateUsage(price, qty("0")).tiers).toEqual([]);
		expect(rateUsage(price, qty("-1")).tiers).toEqual([]);
	});

	it("rounds the sum of the tiers once, not each tier", () => {
		// 0.5 + 1.5 = 2; rounding each part first would give 1 + 2 = 3.
		expect(amountOf(graduated(tier("1", "0.5"), tier(null, "1.5")), "2")).toBe(2);
		// 0.5 + 0.5 + 0.5 = 1.5 → 2; per part it would be 3.
		expect(amountOf(graduated(tier("1", "0.5"), tier("2", "0.5"), tier(null, "0.5")), "3")).toBe(2);
		// 0.4 + 0.4 = 0.8 → 1; per part it would be 0.
		expect(amountOf(graduated(tier("1", "0.4"), tier(null, "0.4")), "2")).toBe(1);
	});

	it("charges a tier's flat amount when any units fall in it, whatever its unit amount", () => {
		const flatOnly = graduated(tier("10", "0", 0), tier(null, "0", 500));
		expect(amountOf(flatOnly, "10")).toBe(0);
		expect(amountOf(flatOnly, "10.000001")).toBe(500);
		expect(amountOf(flatOnly, "1000000")).toBe(500);
		const firstFlat = graduated(tier("100", "1", 10), tier(null, "2", 1000));
		expect(amountOf(firstFlat, "0")).toBe(0);
		expect(amountOf(firstFlat, "0.000001")).toBe(10);
		expect(amountOf(firstFlat, "100")).toBe(110);
		expect(amountOf(firstFlat, "100.000001")).toBe(1110);
	});

	it("handles fractional bounds", () => {
		const fractional = graduated(tier("0.5", "10"), tier("1.25", "20"), tier(null, "40"));
		expect(amountOf(fractional, "0.5")).toBe(5);
		expect(amountOf(fractional, "1.25")).toBe(20); // 5 + 15
		expect(amountOf(fractional, "1.250001")).toBe(20); // + 0.00004
		expect(amountOf(fractional, "2")).toBe(50); // 5 + 15 + 30
	});

	it("amounts beyond 2^53 − 1 are a RangeError", () => {
		const flats = graduated(tier("1", "0", MAX), tier(null, "0", 1));
		expect(amountOf(flats, "1")).toBe(MAX);
		expect(() => amountOf(flats, "2")).toThrow(RangeError);
	});

	it("refuses invalid tiers (RangeError)", () => {
		expect(() => rateUsage(graduated(), qty("1"))).toThrow(RangeError);
		expect(() => rateUsage(graduated(tier("100", "1")), qty("1"))).toThrow(RangeError);
		expect(() => rateUsage(graduated(tier("100", "1"), tier("50", "1"), tier(null, "1")), qty("1"))).toThrow(
			RangeError,
		);
	});
});

describe("volume: worked examples", () => {
	// Up to 100 units at 1 each; up to 1,000 at 0.5 each plus 100; beyond at 0.25 each.
	const price = volume(tier("100", "1"), tier("1000", "0.5", 100), tier(null, "0.25"));

	it.each([
		["0", 0, "nothing used: nothing charged, not even a flat amount"],
		["0.000001", 0, "a millionth of a unit"],
		["0.5", 1, "0.5 → 1"],
		["99.999999", 100, "99.999999 rounds up"],
		["100", 100, "exactly at the first bound: upTo is inclusive"],
		["100.000001", 150, "every unit at tier 2: 50.0000005 + 100"],
		["999.999999", 600, "499.9999995 + 100 rounds up"],
		["1000", 600, "exactly at the second bound"],
		["1000.000001", 250, "every unit at tier 3: cheaper than at 1,000"],
		["1000000000", 250_000_000, "far above the last bound"],
		["-5", 0, "a negative quantity rates as 0"],
	])("%s → %i (%s)", (quantity, expected) => {
		expect(amountOf(price, quantity)).toBe(expected);
	});

	it("lists the one tier that priced all units", () => {
		expect(tierText(rateUsage(price, qty("500")))).toEqual([
			{ from: "100", upTo: "1000", quantity: "500", unitAmount: "0.5", flatAmount: 100 },
		]);
		expect(tierText(rateUsage(price, qty("100")))).toEqual([
			{ from: "0", upTo: "100", quantity: "100", unitAmount: "1", flatAmount: 0 },
		]);
		expect(tierText(rateUsage(price, qty("1000.000001")))).toEqual([
			{ from: "1000", upTo: null, quantity: "1000.000001", unitAmount: "0.25", flatAmount: 0 },
		]);
		expect(rateUsage(price, qty("0")).tiers).toEqual([]);
	});

	it("rounds once: 3 × 0.5 = 1.5 → 2", () => {
		expect(amountOf(volume(tier(null, "0.5")), "3")).toBe(2);
		expect(amountOf(volume(tier(null, "0.5", 10)), "3")).toBe(12);
	});

	it("refuses invalid tiers (RangeError)", () => {
		expect(() => rateUsage(volume(), qty("1"))).toThrow(RangeError);
		expect(() => rateUsage(volume(tier(null, "1"), tier(null, "1")), qty("1"))).toThrow(RangeError);
	});
});

describe("tierProblem", () => {
	it.each<[string, PriceTier[]]>([
		["a single unbounded tier", [tier(null, "1")]],
		["a free tier then a paid one", [tier("100", "0"), tier(null, "0.05")]],
		["bounds a millionth apart", [tier("1", "1"), tier("1.000001", "1"), tier(null, "1")]],
		["fractional bounds", [tier("0.000001", "1"), tier(null, "1")]],
		["the largest flat amount", [tier(null, "1", MAX)]],
		["the smallest unit amount", [tier(null, "0.000000000001")]],
		["a free unbounded tier", [tier(null, "0")]],
	])("accepts %s", (_, tiers) => {
		expect(tierProblem(tiers)).toBeNull();
	});

	it.each<[string, PriceTier[], RegExp]>([
		["no tiers", [], /at least one tier/],
		["a bounded last tier", [tier("100", "1")], /tier 1: the last tier must have no upTo/],
		["a bounded last tier after others", [tier("100", "1"), tier("200", "1")], /tier 2: the last tier/],
		["an unbounded tier before the last", [tier(null, "1"), tier(null, "1")], /tier 1: only the last tier/],
		["an unbounded middle tier", [tier("1", "1"), tier(null, "1"), tier(null, "1")], /tier 2: only the last/],
		["an upTo of 0", [tier("0", "1"), tier(null, "1")], /tier 1: upTo must be positive/],
		["a negative upTo", [tier("-10", "1"), tier(null, "1")], /tier 1: upTo must be positive/],
		["equal bounds", [tier("100", "1"), tier("100", "2"), tier(null, "1")], /tier 2: upTo must be greater than tier 1/],
		["decreasing bounds", [tier("100", "1"), tier("50", "2"), tier(null, "1")], /tier 2: upTo must be greater/],
		["a decrease later on", [tier("1", "1"), tier("3", "1"), tier("2", "1"), tier(null, "1")], /tier 3: upTo must/],
		[
			"equal bounds at different scales",
			[{ ...tier("100", "1"), upTo: { units: 10000n, scale: 2 } }, tier("100", "1"), tier(null, "1")],
			/tier 2: upTo must be greater/,
		],
		["a negative flat amount", [tier(null, "1", -1)], /tier 1: flatAmount/],
		["a fractional flat amount", [tier(null, "1", 0.5)], /tier 1: flatAmount/],
		["a flat amount of NaN", [tier(null, "1", Number.NaN)], /tier 1: flatAmount/],
		["a flat amount beyond 2^53", [tier(null, "1", 2 ** 53)], /tier 1: flatAmount/],
		["a negative unit amount", [tier("1", "0"), tier(null, "-0.000001")], /tier 2: unitAmount must not be negative/],
	])("names the problem with %s", (_, tiers, message) => {
		expect(tierProblem(tiers)).toMatch(message);
	});
});

describe("describeRating", () => {
	const describe_ = (price: PriceModel, quantity: string) => describeRating(price, rateUsage(price, qty(quantity)));

	it.each<[string, PriceModel, string]>([
		["1,500 units × 0.05", perUnit("0.05"), "1500"],
		["1 unit × 0.05", perUnit("0.05"), "1"],
		["0 units × 0.05", perUnit("0.05"), "0"],
		["1,234,567.5 units × 1,000", perUnit("1000"), "1234567.5"],
		["1,400 units × 0.05 (1,500 used, 100 free)", perUnit("0.05", "100"), "1500"],
		["0 units × 0.05 (40 used, 100 free)", perUnit("0.05", "100"), "40"],
		["250 units as 3 packages of 100 units × 500", pkg(100, 500), "250"],
		["1 unit as 1 package of 1 unit × 500", pkg(1, 500), "1"],
		["500 units as 1 package of 1,000 units × 2,500 (510 used, 10 free)", pkg(1000, 2500, "10"), "510"],
		["0 units as 0 packages of 100 units × 500", pkg(100, 500), "0"],
		[
			"1,500 units (graduated): 100 × 0; 900 × 0.5 + 100 flat; 500 × 0.25",
			graduated(tier("100", "0"), tier("1000", "0.5", 100), tier(null, "0.25")),
			"1500",
		],
		["0 units", graduated(tier("100", "0"), tier(null, "0.25")), "0"],
		["2,500 units (volume): 2,500 × 0.5 + 1,000 flat", volume(tier("100", "1"), tier(null, "0.5", 1000)), "2500"],
		["0 units", volume(tier("100", "1"), tier(null, "0.5")), "0"],
	])("%s", (expected, price, quantity) => {
		expect(describe_(price, quantity)).toBe(expected);
	});
});

// ---------------------------------------------------------------------------------------------

describe("properties", () => {
	it("every model: tiers explain the amount (round once of Σ q × u, plus Σ flat) and sum to the billable quantity", () => {
		fc.assert(
			fc.property(priceArb, quantityArb, (price, quantity) => {
				const rating = rateUsage(price, quantity);
				expect(rating.amount).toBe(referenceAmount(rating.tiers));
				expect(Number.isSafeInteger(rating.amount) && rating.amount >= 0).toBe(true);
				const total = rating.tiers.reduce((sum, t) => sum + toScale(t.quantity, 6), 0n);
				expect(total).toBe(toScale(rating.billableQuantity, 6));
				expect(rating.tiers.every((t) => t.quantity.units > 0n)).toBe(true);
				expect(typeof describeRating(price, rating)).toBe("string");
			}),
			RUNS,
		);
	});

	it("every model: a negative quantity rates exactly as 0", () => {
		fc.assert(
			fc.property(priceArb, quantityArb, (price, quantity) => {
				const negative = { ...quantity, units: quantity.units > 0n ? -quantity.units : quantity.units - 1n };
				expect(rateUsage(price, negative)).toEqual(rateUsage(price, { units: 0n, scale: 0 }));
				expect(rateUsage(price, negative).amount).toBe(0);
			}),
			RUNS,
		);
	});

	it("every model: trailing zeros in the quantity change nothing but the echoed quantity", () => {
		fc.assert(
			fc.property(priceArb, quantityArb, fc.integer({ min: 1, max: 6 }), (price, quantity, extra) => {
				const padded = { units: quantity.units * pow10(extra), scale: quantity.scale + extra };
				const { quantity: _a, ...plain } = rateUsage(price, quantity);
				const { quantity: _b, ...other } = rateUsage(price, padded);
				expect(other).toEqual(plain);
			}),
			RUNS,
		);
	});

	it("graduated: the amount is non-decreasing in the quantity", () => {
		fc.assert(
			fc.property(tiersArb, quantityArb, quantityArb, (tiers, a, b) => {
				const [low, high] = compare(a, b) <= 0 ? [a, b] : [b, a];
				const price = graduated(...tiers);
				expect(rateUsage(price, low).amount).toBeLessThanOrEqual(rateUsage(price, high).amount);
			}),
			RUNS,
		);
	});

	it("graduated: tier quantities are the overlaps of (0, quantity] with each (from, upTo]", () => {
		fc.assert(
			fc.property(tiersArb, nonNegativeQuantityArb, (tiers, quantity) => {
				const rating = rateUsage(graduated(...tiers), quantity);
				let from: Decimal = { units: 0n, scale: 0 };
				const expected: string[] = [];
				for (const t of tiers) {
					if (compare(quantity, from) <= 0) break;
					const top = t.upTo === null || compare(quantity, t.upTo) < 0 ? quantity : t.upTo;
					expected.push(formatDecimal({ units: toScale(top, 6) - toScale(from, 6), scale: 6 }));
					if (t.upTo) from = t.upTo;
				}
				expect(rating.tiers.map((t) => formatDecimal(t.quantity))).toEqual(expected);
			}),
			RUNS,
		);
	});

	it("graduated with a single unbounded tier equals per_unit with the same price", () => {
		fc.assert(
			fc.property(unitAmountArb, quantityArb, (unitAmount, quantity) => {
				const tiered = rateUsage(graduated({ upTo: null, unitAmount, flatAmount: 0 }), quantity);
				const flat = rateUsage({ model: "per_unit", unitAmount, freeUnits: { units: 0n, scale: 0 } }, quantity);
				expect(tiered.amount).toBe(flat.amount);
				expect(tiered.tiers).toEqual(flat.tiers);
			}),
			RUNS,
		);
	});

	it("graduated with a free first tier equals per_unit with that many free units", () => {
		fc.assert(
			fc.property(unitAmountArb, nonNegativeQuantityArb, quantityArb, (unitAmount, free, quantity) => {
				fc.pre(free.units > 0n);
				const tiered = rateUsage(
					graduated(
						{ upTo: free, unitAmount: { units: 0n, scale: 0 }, flatAmount: 0 },
						{ upTo: null, unitAmount, flatAmount: 0 },
					),
					quantity,
				);
				expect(tiered.amount).toBe(rateUsage({ model: "per_unit", unitAmount, freeUnits: free }, quantity).amount);
			}),
			RUNS,
		);
	});

	it("volume: the amount is the selected tier's price × the whole quantity, plus its flat amount", () => {
		fc.assert(
			fc.property(tiersArb, nonNegativeQuantityArb, (tiers, quantity) => {
				const rating = rateUsage(volume(...tiers), quantity);
				if (quantity.units === 0n) {
					expect(rating).toMatchObject({ amount: 0, tiers: [] });
					return;
				}
				const selected = tiers.find((t) => t.upTo === null || compare(quantity, t.upTo) <= 0);
				if (!selected) throw new Error("the last tier is unbounded");
				const index = tiers.indexOf(selected);
				const denominator = pow10(quantity.scale + selected.unitAmount.scale);
				const exact = quantity.units * selected.unitAmount.units + BigInt(selected.flatAmount) * denominator;
				expect(rating.amount).toBe(Number(roundHalfAwayFromZero(exact, denominator)));
				expect(rating.tiers).toHaveLength(1);
				expect(rating.tiers[0]?.unitAmount).toBe(selected.unitAmount);
				// The quantity lies in (previous upTo, upTo].
				const from = index === 0 ? { units: 0n, scale: 0 } : tiers[index - 1]?.upTo;
				if (!from) throw new Error("only the last tier is unbounded");
				expect(compare(quantity, from)).toBe(1);
				expect(compare(rating.tiers[0]?.from ?? from, from)).toBe(0);
			}),
			RUNS,
		);
	});

	it("volume with a single unbounded tier equals per_unit plus the flat amount once there is usage", () => {
		fc.assert(
			fc.property(unitAmountArb, fc.integer({ min: 0, max: 1_000_000 }), quantityArb, (unitAmount, flat, quantity) => {
				const tiered = rateUsage(volume({ upTo: null, unitAmount, flatAmount: flat }), quantity).amount;
				const plain = rateUsage({ model: "per_unit", unitAmount, freeUnits: { units: 0n, scale: 0 } }, quantity).amount;
				expect(tiered).toBe(quantity.units > 0n ? plain + flat : 0);
			}),
			RUNS,
		);
	});

	it("package: the amount is a multiple of the package amount, for the fewest packages that hold the usage", () => {
		fc.assert(
			fc.property(packageArb, quantityArb, ({ packageSize, packageAmount, freeUnits }, quantity) => {
				fc.pre(packageAmount > 0);
				const rating = rateUsage({ model: "package", packageSize, packageAmount, freeUnits }, quantity);
				expect(rating.amount % packageAmount).toBe(0);
				const packages = BigInt(rating.amount / packageAmount);
				const billable = toScale(rating.billableQuantity, 6);
				const size = BigInt(packageSize) * pow10(6);
				expect(packages * size >= billable).toBe(true);
				expect(packages === 0n || (packages - 1n) * size < billable).toBe(true);
			}),
			RUNS,
		);
	});

	it("per_unit and package: billable is the quantity less the free units, never negative", () => {
		fc.assert(
			fc.property(packageArb, unitAmountArb, quantityArb, (p, unitAmount, quantity) => {
				const clamped = quantity.units < 0n ? 0n : toScale(quantity, 6);
				const expected = clamped - toScale(p.freeUnits, 6);
				const billable = expected > 0n ? expected : 0n;
				for (const price of [
					{ model: "package" as const, ...p },
					{ model: "per_unit" as const, unitAmount, freeUnits: p.freeUnits },
				]) {
					expect(toScale(rateUsage(price, quantity).billableQuantity, 6)).toBe(billable);
				}
			}),
			RUNS,
		);
	});
});
