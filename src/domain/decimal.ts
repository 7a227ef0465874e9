// Exact decimals for quantities and percentage rates, held as scaled BigInts so that no value ever
// passes through a binary float. Every conversion to money goes through `roundHalfAwayFromZero`.

/** A decimal as `units / 10^scale`. */
export type Decimal = { units: bigint; scale: number };

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Parses `"1.5"`, `"8.875"` or a JS number whose shortest decimal form is exact (`1.5`). */
export function parseDecimal(value: string | number, maxScale: number): Decimal | null {
	const text = typeof value === "number" ? numberToPlainString(value) : value.trim();
	if (text === null) return null;
	const match = DECIMAL.exec(text);
	if (!match) return null;
	const [, sign, whole = "0", fraction = ""] = match;
	const trimmed = fraction.replace(/0+$/, "");
	if (trimmed.length > maxScale) return null;
	const units = BigInt(`${whole}${trimmed}`) * (sign === "-" ? -1n : 1n);
	return { units, scale: trimmed.length };
}

function numberToPlainString(value: number): string | null {
	if (!Number.isFinite(value)) return null;
	const text = String(value);
	// Exponent forms (1e-7, 1e21) are outside every range we accept.
	return /e/i.test(text) ? null : text;
}

export const pow10 = (n: number): bigint => 10n ** BigInt(n);

/** The exact sum of decimals, at the largest scale among them. */
export function sumDecimals(values: readonly Decimal[]): Decimal {
	const scale = Math.max(0, ...values.map((v) => v.scale));
	const units = values.reduce((sum, v) => sum + v.units * pow10(scale - v.scale), 0n);
	return { units, scale };
}

/** The canonical text of a decimal: no trailing zeros, no exponent. */
export function formatDecimal(value: Decimal): string {
	let { units, scale } = value;
	while (scale > 0 && units % 10n === 0n) {
		units /= 10n;
		scale -= 1;
	}
	const negative = units < 0n;
	const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
	const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
	return (negative ? "-" : "") + text;
}

/**
 * THE rounding rule for money: a ratio is rounded to the nearest integer, and an exact half goes away
 * from zero (commercial rounding: 0.5 → 1, 2.5 → 3, -0.5 → -1).
 */
export function roundHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
	if (denominator === 0n) throw new RangeError("division by zero");
	const negative = numerator < 0n !== denominator < 0n;
	const n = numerator < 0n ? -numerator : numerator;
	const d = denominator < 0n ? -denominator : denominator;
	const quotient = (n * 2n + d) / (d * 2n);
	return negative ? -quotient : quotient;
}

/** Converts a BigInt amount of minor units to a JS number, refusing anything beyond 2^53. */
export function toSafeNumber(value: bigint): number {
	if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
		throw new RangeError("amount exceeds the largest exact integer");
	}
	return Number(value);
}
