import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDecimal } from "../../src/domain/decimal";
import { inBase, parseRate, toBase } from "../../src/domain/fx";

const rate = (text: string) => parseRate(text);

describe("converting to the base currency", () => {
	it("respects each currency's exponent and rounds once, half away from zero", () => {
		expect(toBase(10000, rate("0.9"), "USD", "EUR")).toBe(9000); // $100.00 → €90.00
		expect(toBase(1000, rate("0.0061"), "JPY", "EUR")).toBe(610); // ¥1000 → €6.10
		expect(toBase(100, rate("163.5"), "EUR", "JPY")).toBe(164); // €1.00 → ¥163.5 → ¥164
		expect(toBase(1234, rate("2.98"), "KWD", "EUR")).toBe(368); // 1.234 KWD → €3.67732 → €3.68
		expect(toBase(1, rate("0.5"), "EUR", "USD")).toBe(1); // 0.5 cent rounds away from zero
		expect(toBase(0, rate("1.3"), "GBP", "EUR")).toBe(0);
	});

	it("refuses rates that are not positive decimals", () => {
		expect(() => parseRate("0")).toThrow();
		expect(() => parseRate("-1")).toThrow();
		expect(() => parseRate("1.12345678901")).toThrow();
		expect(parseDecimal("1.1234567890", 10)).not.toBeNull();
	});

	it("balances every entry in base, the difference going to one FX line", () => {
		fc.assert(
			fc.property(
				fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 6 }),
				fc.integer({ min: 1, max: 99_999 }),
				fc.option(fc.integer({ min: 1, max: 99_999 }), { nil: undefined }),
				(credits, rateTenThousandths, carriedTenThousandths) => {
					const total = credits.reduce((s, c) => s + c, 0);
					const entryRate = rate(String(rateTenThousandths / 10_000));
					const lines = [
						{ debit: total, credit: 0 },
						...credits.map((c, i) => ({
							debit: 0,
							credit: c,
							...(i === 0 && carriedTenThousandths ? { rate: rate(String(carriedTenThousandths / 10_000)) } : {}),
						})),
					];
					const { lines: base, fx } = inBase(lines, entryRate, "USD", "EUR");
					const debits = base.reduce((s, l) => s + l.baseDebit, 0) + (fx?.baseDebit ?? 0);
					const creditsInBase = base.reduce((s, l) => s + l.baseCredit, 0) + (fx?.baseCredit ?? 0);
					expect(debits).toBe(creditsInBase);
					if (fx) expect((fx.baseDebit === 0) !== (fx.baseCredit === 0)).toBe(true);
					if (!carriedTenThousandths && credits.length === 1) expect(fx).toBeNull();
				},
			),
			{ numRuns: 500 },
		);
	});
});
