// Integer rounding of taxes: one rate applied to a base, a total shared out over lines, and a gross
// amount split into net and taxes that add up to it exactly. Amounts are minor units, so rounding to
// a whole minor unit is rounding at the currency's exponent (0 for JPY, 2 for EUR, 3 for KWD).
import { type Decimal, pow10, roundHalfAwayFromZero, sumDecimals } from "../decimal";

/** `base × rate %`, rounded half away from zero (half-up for the non-negative amounts the engine sees). */
export const taxOf = (base: bigint, rate: Decimal): bigint =>
	roundHalfAwayFromZero(base * rate.units, 100n * pow10(rate.scale));

/**
 * Shares `total` out in proportion to `weights` so that the parts add up to it exactly: each part is
 * the floor of its share, and the units left over go to the largest remainders (the earlier line on a
 * tie). All weights zero: the total must be zero too.
 */
export function allocate(total: bigint, weights: readonly bigint[]): bigint[] {
	const sum = weights.reduce((s, w) => s + w, 0n);
	if (sum === 0n) {
		if (total !== 0n) throw new RangeError("cannot share a non-zero total over zero weights");
		return weights.map(() => 0n);
	}
	const parts = weights.map((w) => (total * w) / sum);
	let left = total - parts.reduce((s, p) => s + p, 0n);
	const byRemainder = weights
		.map((w, i) => ({ i, remainder: (total * w) % sum }))
		.sort((a, b) => (a.remainder === b.remainder ? a.i - b.i : a.remainder > b.remainder ? -1 : 1));
	for (const { i } of byRemainder) {
		if (left === 0n) break;
		parts[i] = (parts[i] as bigint) + 1n;
		left -= 1n;
	}
	return parts;
}

/**
 * Splits a tax-inclusive amount into net and one tax per rate with net + Σ taxes = gross exactly.
 * Where a net exists whose taxes, each rounded on its own, add up to the gross, that net is taken
 * (so each tax is also `net × rate` rounded, as an e-invoice checks); otherwise the total tax is
 * rounded once and shared over the rates in proportion.
 */
export function splitInclusive(gross: bigint, rates: readonly Decimal[]): { net: bigint; taxes: bigint[] } {
	const combined = sumDecimals(rates);
	const hundred = 100n * pow10(combined.scale);
	const estimate = gross - roundHalfAwayFromZero(gross * combined.units, hundred + combined.units);
	for (const net of [estimate, estimate - 1n, estimate + 1n]) {
		if (net < 0n) continue;
		const taxes = rates.map((rate) => taxOf(net, rate));
		if (net + taxes.reduce((s, t) => s + t, 0n) === gross) return { net, taxes };
	}
	const weights = rates.map((rate) => rate.units * pow10(combined.scale - rate.scale));
	return { net: estimate, taxes: allocate(gross - estimate, weights) };
}
