import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitCredit } from "../../src/domain/creditNote";
import { taxesByJurisdiction } from "../../src/domain/invoiceTotals";

const line = (id: string, total: number, taxes: { jurisdiction: string; rate: string; amount: number }[]) => ({
	id,
	total,
	taxes,
});
const row = (rate: string, taxable_amount: number, amount: number) => ({
	jurisdiction: "DE",
	category: "S",
	rate,
	taxable_amount,
	amount,
	exemption_reason: null,
	exemption_reason_code: null,
});

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
		line("l1", 11900, [{ jurisdiction: "DE", rate: "19", amount: 1900 }]),
		line("l2", 10700, [{ jurisdiction: "DE", rate: "7", amount: 700 }]),
	];
	const invoice = { total: 22600 };

	it("shares a gross amount over the lines by their totals, each split by its own taxes", () => {
		expect(splitCredit(invoice, lines, { amount: 22600 })).toMatchObject({
			ok: true,
			amount: 22600,
			net: 20000,
			taxLines: [row("19", 10000, 1900), row("7", 10000, 700)],
		});
		expect(splitCredit(invoice, lines, { amount: 1130 })).toMatchObject({
			ok: true,
			amount: 1130,
			net: 1000,
			taxLines: [row("19", 500, 95), row("7", 500, 35)],
			lines: [
				{ line_id: "l1", amount: 595, net_amount: 500, tax_amount: 95, tax_category: "S" },
				{ line_id: "l2", amount: 535, net_amount: 500, tax_amount: 35, tax_category: "S" },
			],
		});
	});

	it("keeps the category and exemption of the line credited: a reverse-charged line credits no tax", () => {
		const reverseCharged = {
			...line("r1", 10000, [{ jurisdiction: "DE", rate: "0", amount: 0 }]),
			taxes: [{ jurisdiction: "DE", rate: "0", amount: 0, category: "AE" as const }],
			taxCategory: "AE" as const,
			taxExemptionReason: "Reverse charge",
			taxExemptionReasonCode: "VATEX-EU-AE",
		};
		expect(splitCredit({ total: 10000 }, [reverseCharged], { amount: 2500 })).toEqual({
			ok: true,
			amount: 2500,
			net: 2500,
			taxLines: [
				{
					jurisdiction: "DE",
					category: "AE",
					rate: "0",
					taxable_amount: 2500,
					amount: 0,
					exemption_reason: "Reverse charge",
					exemption_reason_code: "VATEX-EU-AE",
				},
			],
			lines: [
				{
					line_id: "r1",
					amount: 2500,
					net_amount: 2500,
					tax_amount: 0,
					tax_category: "AE",
					tax_exemption_reason: "Reverse charge",
					tax_exemption_reason_code: "VATEX-EU-AE",
				},
			],
		});
	});

	it("splits each requested line by that line's own taxes, per (jurisdiction, category, rate)", () => {
		expect(
			splitCredit(invoice, lines, {
				lines: [
					{ line_id: "l1", amount: 11900 },
					{ line_id: "l2", amount: 1070 },
				],
			}),
		).toMatchObject({
			ok: true,
			amount: 12970,
			net: 11000,
			taxLines: [row("19", 10000, 1900), row("7", 1000, 70)],
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
			lines: [],
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
					rate: String(t.rateBp / 100),
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
