import { describe, expect, it } from "vitest";
import { formatDecimalText, formatMoney, formatQuantity, formatRate } from "../../src/documents/format";

// Intl puts no-break spaces between number and sign; compared here as plain spaces.
const money = (amount: number, currency: string, locale: string) =>
	formatMoney(amount, currency, locale).replace(/[\u00a0\u202f]/g, " ");

describe("document formatting", () => {
	it("formats amounts by the currency's exponent and the locale's signs", () => {
		expect(money(123456789, "EUR", "de-DE")).toBe("1.234.567,89 €");
		expect(money(123456789, "EUR", "en-IE")).toBe("€1,234,567.89");
		expect(money(4500, "JPY", "en-US")).toBe("¥4,500");
		expect(money(1234567, "KWD", "en-US")).toBe("KWD 1,234.567");
		expect(money(-5000, "GBP", "en-GB")).toBe("-£50.00");
		expect(money(99900, "INR", "en-IN")).toBe("₹999.00");
	});

	it("keeps amounts beyond a float's precision exact", () => {
		expect(money(9007199254740991, "EUR", "en-US")).toBe("€90,071,992,547,409.91");
	});

	it("trims quantities and rates to their significant digits", () => {
		expect(formatQuantity("2.500000", "de-DE")).toBe("2,5");
		expect(formatQuantity("1000", "en-US")).toBe("1,000");
		expect(formatRate("7.5000", "de-DE")).toBe("7,5%");
		expect(formatDecimalText("-1234.5", "en-US")).toBe("-1,234.5");
	});
});
