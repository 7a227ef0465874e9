import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { currencyExponent, formatMinorUnits, isCurrency, parseMinorUnits } from "../../src/domain/currency";

describe("isCurrency", () => {
	it.each(["EUR", "USD", "JPY", "KWD", "CHF", "GBP", "CLF", "UYW", "XOF", "ZWG", "VED", "SLE"])("knows %s", (code) => {
		expect(isCurrency(code)).toBe(true);
	});

	it.each(["eur", "Eur", "EURO", "EU", "", "XYZ", "DEM", "XXX", "XAU", " EUR", "toString"])("refuses %j", (code) => {
		expect(isCurrency(code)).toBe(false);
	});
});

describe("currencyExponent", () => {
	it.each([
		["EUR", 2],
		["USD", 2],
		["GBP", 2],
		["JPY", 0],
		["KRW", 0],
		["CLP", 0],
		["ISK", 0],
		["KWD", 3],
		["BHD", 3],
		["TND", 3],
		["CLF", 4],
		["UYW", 4],
	])("%s has %i decimals", (code, exponent) => {
		expect(currencyExponent(code)).toBe(exponent);
	});

	it("throws RangeError for an unknown code", () => {
		expect(() => currencyExponent("XYZ")).toThrow(RangeError);
		expect(() => currencyExponent("eur")).toThrow(RangeError);
	});
});

describe("formatMinorUnits", () => {
	it.each([
		[123456, "EUR", "1234.56"],
		[5, "EUR", "0.05"],
		[50, "EUR", "0.50"],
		[100, "EUR", "1.00"],
		[0, "EUR", "0.00"],
		[-5, "EUR", "-0.05"],
		[-123456, "EUR", "-1234.56"],
		[1234, "JPY", "1234"],
		[0, "JPY", "0"],
		[-7, "JPY", "-7"],
		[1, "KWD", "0.001"],
		[1234567, "KWD", "1234.567"],
		[1, "CLF", "0.0001"],
		[Number.MAX_SAFE_INTEGER, "EUR", "90071992547409.91"],
		[Number.MIN_SAFE_INTEGER, "EUR", "-90071992547409.91"],
	])("%i minor units of %s is %s", (amount, code, text) => {
		expect(formatMinorUnits(amount, code)).toBe(text);
	});

	it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1])(
		"refuses the amount %d",
		(amount) => {
			expect(() => formatMinorUnits(amount, "EUR")).toThrow(RangeError);
		},
	);

	it("refuses an unknown currency", () => {
		expect(() => formatMinorUnits(100, "XYZ")).toThrow(RangeError);
	});

	it("never loses or invents a minor unit: the text parses back to the same integer", () => {
		const code = fc.constantFrom("EUR", "JPY", "KWD", "CLF");
		fc.assert(
			fc.property(fc.maxSafeInteger(), code, (amount, currency) => {
				const text = formatMinorUnits(amount, currency);
				const exponent = currencyExponent(currency);
				const pattern = exponent === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${exponent}}$`);
				expect(text).toMatch(pattern);
				expect(BigInt(text.replace(".", ""))).toBe(BigInt(amount));
				// No "-0.00": zero has no sign.
				if (amount === 0) expect(text.startsWith("-")).toBe(false);
			}),
		);
	});
});

describe("parseMinorUnits", () => {
	it("turns decimals into minor units of the currency, refusing extra places", () => {
		expect(parseMinorUnits("12.50", "EUR")).toBe(1250);
		expect(parseMinorUnits(12.5, "EUR")).toBe(1250);
		expect(parseMinorUnits("0.1", "EUR")).toBe(10);
		expect(parseMinorUnits("100", "JPY")).toBe(100);
		expect(parseMinorUnits("1.234", "KWD")).toBe(1234);
		expect(parseMinorUnits("12.500", "EUR")).toBe(1250);
		expect(parseMinorUnits("12.505", "EUR")).toBeNull();
		expect(parseMinorUnits("1.5", "JPY")).toBeNull();
		expect(parseMinorUnits("abc", "EUR")).toBeNull();
		expect(parseMinorUnits("1e3", "EUR")).toBeNull();
		expect(parseMinorUnits("-1.00", "EUR")).toBe(-100);
		expect(parseMinorUnits("90071992547409.91", "EUR")).toBe(9007199254740991);
		expect(parseMinorUnits("90071992547409.92", "EUR")).toBeNull();
	});

	it("round-trips with formatMinorUnits for every amount and exponent", () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 10 ** 12 }), fc.constantFrom("EUR", "JPY", "KWD"), (amount, code) => {
				expect(parseMinorUnits(formatMinorUnits(amount, code), code)).toBe(amount);
			}),
		);
	});
});
