import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitCredit } from "../../src/domain/creditNote";
import { taxesByJurisdiction } from "../../src/domain/invoiceTotals";

const line = (id: string, total: number, taxes: { jurisdiction: string; amount: number }[]) => ({ id, total, taxes });

describe("taxesByJurisdiction", () => {
	it("sums per jurisdiction in first-seen order", () => {
		expect(
			taxesByJurisdiction([
				{ jurisdiction: "DE", amount: 190 },
				{ jurisdiction: "FR", amount: 200 },
				{ jurisdiction: "DE", amount: 70 },
			]),
		).toEqual([
			{ jurisdiction: "DE", amount: 260 },
			{ jurisdiction: "FR", amount: 200 },
		]);
		expect(taxesByJurisdiction([])).toEqual([]);
	});
});

describe("splitCredit", () => {
	const lines = [
		line("l1", 11900, [{ jurisdiction: "DE", amount: 1900 }]),
		line("l2", 10700, [{ jurisdiction: "DE", amount: 700 }]),
	];
	const invoice = { total: 22600 };

	it("splits a gross amount in proportion to the whole invoice's taxes", () => {
		expect(splitCredit(invoice, lines, { amount: 22600 })).toEqual({
			ok: true,
			amount: 22600,
			net: 20000,
			taxLines: [{ jurisdiction: "DE", amount: 2600 }],
		});
		expect(splitCredit(invoice, lines, { amount: 1130 })).toEqual({
			ok: true,
			amount: 1130,
			net: 1000,
			taxLines: [{ jurisdiction: "DE", amount: 130 }],
		});
	});

	it("splits each requested line by that line's own taxes, and merges them per jurisdiction", () => {
		expect(
			splitCredit(invoice, lines, {
				lines: [
					{ line_id: "l1", amount: 11900 },
					{ line_id: "l2", amount: 1070 },
				],
			}),
		).toEqual({
			ok: true,
			amount: 12970,
			net: 11000,
			taxLines: [{ jurisdiction: "DE", amount: 1970 }],
		});
	});

	it("names the field of a line that is not the invoice's, or asked for more than its total", () => {
		expect(splitCredit(invoice, lines, { lines: [{ line_id: "l9", amount: 1 }] })).toEqual({
			ok: false,
			field: "lines.0.line_id",
			message: "is not a line of this invoice",
		});
		expect(
			splitCredit(invoice, lines, {
				lines: [
					{ line_id: "l1", amount: 1 },
					{ line_id: "l2", amount: 10701 },
				],
			}),
		).toEqual({
			ok: false,
			field: "lines.1.amount",
			message: "exceeds the line total of 10700",
		});
	});

	it("credits a tax-free invoice as net alone", () => {
		expect(splitCredit({ total: 0 }, [line("l1", 0, [])], { amount: 500 })).toEqual({
			ok: true,
			amount: 500,
			net: 500,
			taxLines: [],
		});
	});

	it("always credits exactly the gross asked for, net plus taxes, none negative", () => {
		const jurisdictions = fc.constantFrom("DE", "FR", "US-CA", "CA-ON");
		const taxedLine = fc
			.record({
				net: fc.integer({ min: 0, max: 10_000_000 }),
				taxes: fc.array(fc.record({ jurisdiction: jurisdictions, rateBp: fc.integer({ min: 0, max: 2700 }) }), {
					maxLength: 3,
				}),
			})
			.map(({ net, taxes }) => {
				const lineTaxes = taxes.map((t) => ({
					jurisdiction: t.jurisdiction,
					amount: Math.round((net * t.rateBp) / 10_000),
				}));
				return { net, taxes: lineTaxes, total: net + lineTaxes.reduce((s, t) => s + t.amount, 0) };
			});
		fc.assert(
			fc.property(
				fc.array(taxedLine, { minLength: 1, maxLength: 6 }),
				fc.double({ min: 0, max: 1, noNaN: true }),
				(drawn, share) => {
					const invoiceLines = drawn.map((l, i) => line(`l${i}`, l.total, l.taxes));
					const total = invoiceLines.reduce((s, l) => s + l.total, 0);
					const gross = Math.floor(total * share);
					const whole = splitCredit({ total }, invoiceLines, { amount: gross });
					if (!whole.ok) throw new Error("refused");
					expect(whole.amount).toBe(gross);
					expect(whole.net + whole.taxLines.reduce((s, t) => s + t.amount, 0)).toBe(gross);
					expect(whole.net).toBeGreaterThanOrEqual(0);
					const perLine = splitCredit({ total }, invoiceLines, {
						lines: invoiceLines.map((l) => ({ line_id: l.id, amount: Math.floor(l.total * share) })),
					});
					if (!perLine.ok) throw new Error("refused");
					expect(perLine.amount).toBe(invoiceLines.reduce((s, l) => s + Math.floor(l.total * share), 0));
					expect(perLine.net).toBeGreaterThanOrEqual(0);
				},
			),
		);
	});
});
