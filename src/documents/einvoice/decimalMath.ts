// Exact arithmetic on decimals for the rule checks, which compare amounts that may arrive from XML
// with any number of decimals.
import { type Decimal, formatDecimal, pow10, roundHalfAwayFromZero, sumDecimals } from "../../domain/decimal";

export const ZERO: Decimal = { units: 0n, scale: 0 };

export const sum = (values: readonly (Decimal | undefined)[]): Decimal =>
	sumDecimals(values.filter((v): v is Decimal => v !== undefined));

export const negate = (value: Decimal): Decimal => ({ units: -value.units, scale: value.scale });

export const minus = (a: Decimal, b: Decimal): Decimal => sumDecimals([a, negate(b)]);

export const times = (a: Decimal, b: Decimal): Decimal => ({ units: a.units * b.units, scale: a.scale + b.scale });

export const abs = (value: Decimal): Decimal => (value.units < 0n ? negate(value) : value);

export function compare(a: Decimal, b: Decimal): number {
	const difference = minus(a, b).units;
	return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}

/** Rounded to `places` decimals, half away from zero. */
export function round(value: Decimal, places: number): Decimal {
	if (value.scale <= places) return value;
	return { units: roundHalfAwayFromZero(value.units, pow10(value.scale - places)), scale: places };
}

/** Equal once both are rounded to two decimals, as the EN 16931 rules compare amounts. */
export const sameAmount = (a: Decimal, b: Decimal): boolean => compare(round(a, 2), round(b, 2)) === 0;

/** `value × percent / 100` */
export const percentOf = (value: Decimal, percent: Decimal): Decimal => {
	const product = times(value, percent);
	return { units: product.units, scale: product.scale + 2 };
};

/** The number of decimals as written, trailing zeros ignored. */
export function decimals(value: Decimal): number {
	const text = formatDecimal(value);
	const point = text.indexOf(".");
	return point < 0 ? 0 : text.length - point - 1;
}

/** `a / b` to `places` decimals, half away from zero. */
export function divide(a: Decimal, b: Decimal, places: number): Decimal {
	const numerator = a.units * pow10(b.scale + places);
	const denominator = b.units * pow10(a.scale);
	return { units: roundHalfAwayFromZero(numerator, denominator), scale: places };
}
