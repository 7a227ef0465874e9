// Rating: turning a metered quantity into an amount under a usage price model (Stripe-like). Pure.
//
// Quantities and unit amounts are exact decimals (decimal.ts); unit amounts are in minor units and may
// be fractional (0.05 of a cent per API call). Every model first lists the tiers that received units,
// then prices them with ONE rounding, half away from zero:
//   amount = round(Σ tier quantity × tier unitAmount) + Σ tier flatAmount
// so a graduated price whose tiers each come to x.5 rounds the sum, not each part.
//
// `Rating.tiers` always explains `amount` by that formula, for every model:
//   per_unit  one entry for the billable units (from = freeUnits), or none when nothing is billable
//   package   one entry for the billable units with unitAmount 0 and flatAmount = packages × packageAmount
//             (a package price per unit is not a finite decimal in general), or none when nothing is billable
//   graduated one entry per tier that received units, in tier order
//   volume    the one tier holding the whole quantity, or none for quantity 0
// A tier covers the quantities in (from, upTo]: `upTo` is inclusive, `from` is the previous tier's upTo.
import { type Decimal, formatDecimal, pow10, roundHalfAwayFromZero, toSafeNumber } from "./decimal";

/** The largest scale of a unit amount (0.000000000001 of a minor unit). */
export const UNIT_AMOUNT_SCALE = 12;

export type PriceTier = { upTo: Decimal | null; unitAmount: Decimal; flatAmount: number };

export type PriceModel =
	| { model: "per_unit"; unitAmount: Decimal; freeUnits: Decimal }
	| { model: "package"; packageSize: number; packageAmount: number; freeUnits: Decimal }
	| { model: "graduated"; tiers: PriceTier[] }
	| { model: "volume"; tiers: PriceTier[] };

export type RatedTier = {
	from: Decimal;
	upTo: Decimal | null;
	quantity: Decimal;
	unitAmount: Decimal;
	flatAmount: number;
};

export type Rating = {
	/** The quantity as given, or 0 when it is negative. */
	quantity: Decimal;
	/** The quantity after free units (per_unit, package); the quantity itself for tiered models. */
	billableQuantity: Decimal;
	amount: number;
	tiers: RatedTier[];
};

const ZERO: Decimal = { units: 0n, scale: 0 };

/** The same value without trailing fractional zeros, so equal values compare equal. */
function canonical({ units, scale }: Decimal): Decimal {
	let u = units;
	let s = scale;
	while (s > 0 && u % 10n === 0n) {
		u /= 10n;
		s -= 1;
	}
	return { units: u, scale: s };
}

/** The units of `value` at a scale at least its own. */
const unitsAt = (value: Decimal, scale: number) => value.units * pow10(scale - value.scale);

function compare(a: Decimal, b: Decimal): number {
	const scale = Math.max(a.scale, b.scale);
	const x = unitsAt(a, scale);
	const y = unitsAt(b, scale);
	return x < y ? -1 : x > y ? 1 : 0;
}

/** max(0, a − b), canonical. */
function positivePart(a: Decimal, b: Decimal): Decimal {
	const scale = Math.max(a.scale, b.scale);
	const difference = unitsAt(a, scale) - unitsAt(b, scale);
	return difference > 0n ? canonical({ units: difference, scale }) : ZERO;
}

/** The amount the tiers explain, rounded once. */
function priceTiers(tiers: readonly RatedTier[]): number {
	const scale = Math.max(0, ...tiers.map((t) => t.quantity.scale + t.unitAmount.scale));
	const denominator = pow10(scale);
	const numerator = tiers.reduce(
		(sum, t) =>
			sum +
			unitsAt({ units: t.quantity.units * t.unitAmount.units, scale: t.quantity.scale + t.unitAmount.scale }, scale) +
			BigInt(t.flatAmount) * denominator,
		0n,
	);
	return toSafeNumber(roundHalfAwayFromZero(numerator, denominator));
}

const isMinorUnits = (n: number) => Number.isSafeInteger(n) && n >= 0;

/** null when valid, else a message naming the problem (used by the HTTP schema's refine). */
export function tierProblem(tiers: readonly PriceTier[]): string | null {
	if (tiers.length === 0) return "must have at least one tier";
	const last = tiers.length - 1;
	for (const [i, tier] of tiers.entries()) {
		const name = `tier ${i + 1}`;
		if (tier.unitAmount.units < 0n) return `${name}: unitAmount must not be negative`;
		if (!isMinorUnits(tier.flatAmount)) return `${name}: flatAmount must be a non-negative integer of minor units`;
		if (tier.upTo === null) {
			if (i !== last) return `${name}: only the last tier may have no upTo`;
			continue;
		}
		if (i === last) return `${name}: the last tier must have no upTo (it is unbounded)`;
		if (tier.upTo.units <= 0n) return `${name}: upTo must be positive`;
		const previous = i > 0 ? tiers[i - 1]?.upTo : null;
		if (previous && compare(tier.upTo, previous) <= 0) return `${name}: upTo must be greater than tier ${i}'s upTo`;
	}
	return null;
}

function priceProblem(price: PriceModel): string | null {
	switch (price.model) {
		case "per_unit":
			if (price.unitAmount.units < 0n) return "unitAmount must not be negative";
			return price.freeUnits.units < 0n ? "freeUnits must not be negative" : null;
		case "package":
			if (!Number.isSafeInteger(price.packageSize) || price.packageSize <= 0) {
				return "packageSize must be a positive integer";
			}
			if (!isMinorUnits(price.packageAmount)) return "packageAmount must be a non-negative integer of minor units";
			return price.freeUnits.units < 0n ? "freeUnits must not be negative" : null;
		case "graduated":
		case "volume":
			return tierProblem(price.tiers);
	}
}

/** ceil(billable / packageSize): a started package is a whole one. */
function packagesOf(packageSize: number, billable: Decimal): bigint {
	const size = BigInt(packageSize) * pow10(billable.scale);
	return billable.units <= 0n ? 0n : (billable.units + size - 1n) / size;
}

const rate = (tier: PriceTier, from: Decimal, quantity: Decimal): RatedTier => ({
	from,
	upTo: tier.upTo,
	quantity,
	unitAmount: tier.unitAmount,
	flatAmount: tier.flatAmount,
});

function graduatedTiers(tiers: readonly PriceTier[], quantity: Decimal): RatedTier[] {
	const rated: RatedTier[] = [];
	let from = ZERO;
	for (const tier of tiers) {
		if (compare(quantity, from) <= 0) break;
		const top = tier.upTo === null || compare(quantity, tier.upTo) < 0 ? quantity : tier.upTo;
		rated.push(rate(tier, from, positivePart(top, from)));
		if (tier.upTo === null) break;
		from = canonical(tier.upTo);
	}
	return rated;
}

function volumeTiers(tiers: readonly PriceTier[], quantity: Decimal): RatedTier[] {
	if (quantity.units === 0n) return [];
	let from = ZERO;
	for (const tier of tiers) {
		if (tier.upTo === null || compare(quantity, tier.upTo) <= 0) return [rate(tier, from, quantity)];
		from = canonical(tier.upTo);
	}
	throw new RangeError("no tier holds the quantity"); // unreachable: the last tier is unbounded
}

/**
 * Prices a quantity. Negative quantities (after downward adjustments) rate as 0. Throws a RangeError
 * for an invalid price (see tierProblem) and when the amount exceeds Number.MAX_SAFE_INTEGER.
 */
export function rateUsage(price: PriceModel, quantity: Decimal): Rating {
	const problem = priceProblem(price);
	if (problem !== null) throw new RangeError(`invalid ${price.model} price: ${problem}`);
	const given = quantity.units < 0n ? ZERO : quantity;
	const rated = (billableQuantity: Decimal, tiers: RatedTier[]): Rating => ({
		quantity: given,
		billableQuantity,
		amount: priceTiers(tiers),
		tiers,
	});
	switch (price.model) {
		case "per_unit": {
			const billable = positivePart(given, price.freeUnits);
			if (billable.units === 0n) return rated(billable, []);
			const from = canonical(price.freeUnits);
			return rated(billable, [{ from, upTo: null, quantity: billable, unitAmount: price.unitAmount, flatAmount: 0 }]);
		}
		case "package": {
			const billable = positivePart(given, price.freeUnits);
			if (billable.units === 0n) return rated(billable, []);
			const flatAmount = toSafeNumber(packagesOf(price.packageSize, billable) * BigInt(price.packageAmount));
			const from = canonical(price.freeUnits);
			return rated(billable, [{ from, upTo: null, quantity: billable, unitAmount: ZERO, flatAmount }]);
		}
		case "graduated":
			return rated(canonical(given), graduatedTiers(price.tiers, given));
		case "volume":
			return rated(canonical(given), volumeTiers(price.tiers, canonical(given)));
	}
}

/** A decimal with thousands separators: 1500.25 → "1,500.25". */
function formatGrouped(value: Decimal | number | bigint): string {
	const text = typeof value === "object" ? formatDecimal(value) : String(value);
	const [whole = "", fraction] = text.split(".");
	const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ",");
	return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

const units = (q: Decimal) => `${formatGrouped(q)} ${compare(q, { units: 1n, scale: 0 }) === 0 ? "unit" : "units"}`;

/** "100 × 0.05", "100 × 0.05 + 200 flat". */
const tierPart = (t: RatedTier) =>
	`${formatGrouped(t.quantity)} × ${formatGrouped(t.unitAmount)}${t.flatAmount ? ` + ${formatGrouped(t.flatAmount)} flat` : ""}`;

/**
 * A one-line human description of how the quantity was priced, for invoice line descriptions, e.g.
 * "1,500 units × 0.05" or "1,500 units (graduated): 1,000 × 0; 500 × 0.05 + 200 flat".
 */
export function describeRating(price: PriceModel, rating: Rating): string {
	const free = (freeUnits: Decimal) =>
		freeUnits.units > 0n ? ` (${formatGrouped(rating.quantity)} used, ${formatGrouped(freeUnits)} free)` : "";
	switch (price.model) {
		case "per_unit":
			return `${units(rating.billableQuantity)} × ${formatGrouped(price.unitAmount)}${free(price.freeUnits)}`;
		case "package": {
			const packages = packagesOf(price.packageSize, rating.billableQuantity);
			const size = units({ units: BigInt(price.packageSize), scale: 0 });
			const count = `${formatGrouped(packages)} ${packages === 1n ? "package" : "packages"}`;
			return `${units(rating.billableQuantity)} as ${count} of ${size} × ${formatGrouped(price.packageAmount)}${free(price.freeUnits)}`;
		}
		case "graduated":
			if (rating.tiers.length === 0) return units(rating.quantity);
			return `${units(rating.quantity)} (graduated): ${rating.tiers.map(tierPart).join("; ")}`;
		case "volume": {
			const [tier] = rating.tiers;
			if (!tier) return units(rating.quantity);
			return `${units(rating.quantity)} (volume): ${tierPart(tier)}`;
		}
	}
}
