// Converting journal lines to the tenant's base currency. A rate is base major units per one major
// unit of the transaction currency, an exact decimal; amounts stay integer minor units throughout.
import { currencyExponent } from "./currency";
import { type Decimal, parseDecimal, pow10, roundHalfAwayFromZero, toSafeNumber } from "./decimal";

export const FX_RATE_SCALE = 10;
export const ONE: Decimal = { units: 1n, scale: 0 };

export const parseRate = (text: string): Decimal => {
	const rate = parseDecimal(text, FX_RATE_SCALE);
	if (!rate || rate.units <= 0n) throw new RangeError(`invalid FX rate ${text}`);
	return rate;
};

/** `amount` minor units of `currency` in minor units of `base`, rounded once, half away from zero. */
export function toBase(amount: number, rate: Decimal, currency: string, base: string): number {
	const numerator = BigInt(amount) * rate.units * pow10(currencyExponent(base));
	return toSafeNumber(roundHalfAwayFromZero(numerator, pow10(currencyExponent(currency) + rate.scale)));
}

export type FxLine = { debit: number; credit: number; rate?: Decimal };

/**
 * Each line in base currency at its own rate (a receivable carried at its invoice's rate) or the
 * entry's. Whatever no longer balances — a realised exchange difference, or rounding — is returned
 * as the FX line the entry needs: a credit when base debits exceed credits (a gain), else a debit.
 */
export function inBase(lines: readonly FxLine[], rate: Decimal, currency: string, base: string) {
	const converted = lines.map((line) => {
		const at = line.rate ?? rate;
		return { baseDebit: toBase(line.debit, at, currency, base), baseCredit: toBase(line.credit, at, currency, base) };
	});
	const debits = converted.reduce((s, l) => s + l.baseDebit, 0);
	const credits = converted.reduce((s, l) => s + l.baseCredit, 0);
	const difference = debits - credits;
	const fx =
		difference === 0
			? null
			: { baseDebit: difference < 0 ? -difference : 0, baseCredit: difference > 0 ? difference : 0 };
	return { lines: converted, fx };
}
