import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
	accountName,
	chargebackLost,
	creditApplied,
	creditNoteIssued,
	creditUnapplied,
	defaultAccountCode,
	invoiceIssued,
	invoiceVoided,
	invoiceWrittenOff,
	isBalanced,
	type Posting,
	paymentReceived,
	refundIssued,
	reverse,
	taxAdjusted,
	totals,
} from "../../src/domain/ledger";

const amount = fc.integer({ min: 0, max: 1_000_000_000 });
const lines = (p: Posting) => p.lines.map((l) => [defaultAccountCode(l.role, l.jurisdiction), l.debit, l.credit]);

describe("posting rules", () => {
	it("issue: AR and discounts debited; revenue and tax per jurisdiction credited", () => {
		const p = invoiceIssued({
			subtotal: 10000,
			discountTotal: 1000,
			total: 10350,
			taxLines: [
				{ jurisdiction: "US-NY", amount: 900 },
				{ jurisdiction: "US-NY-NYC", amount: 400 },
				{ jurisdiction: "US-NY", amount: 50 },
			],
		});
		expect(lines(p)).toEqual([
			["1100", 10350, 0],
			["4100", 1000, 0],
			["4000", 0, 10000],
			["2200-US-NY", 0, 950],
			["2200-US-NY-NYC", 0, 400],
		]);
		expect(isBalanced(p)).toBe(true);
	});

	it("void reverses the issue entry exactly", () => {
		const invoice = { subtotal: 500, discountTotal: 0, total: 595, taxLines: [{ jurisdiction: "DE", amount: 95 }] };
		expect(invoiceVoided(invoice)).toEqual(reverse(invoiceIssued(invoice)));
		expect(lines(invoiceVoided(invoice))).toEqual([
			["1100", 0, 595],
			["4000", 500, 0],
			["2200-DE", 95, 0],
		]);
	});

	it("a tax adjustment moves tax payable against the tax adjustment account, either way", () => {
		const more = taxAdjusted({ jurisdiction: "FR", amount: 250, direction: "increase" });
		expect(lines(more)).toEqual([
			["6200", 250, 0],
			["2200-FR", 0, 250],
		]);
		expect(taxAdjusted({ jurisdiction: "FR", amount: 250, direction: "decrease" })).toEqual(reverse(more));
		expect(isBalanced(more)).toBe(true);
	});

	it("write-off, payments, credit, refunds, credit notes and lost disputes hit the documented accounts", () => {
		expect(lines(invoiceWrittenOff(700))).toEqual([
			["6100", 700, 0],
			["1100", 0, 700],
		]);
		expect(lines(paymentReceived({ amount: 1000, applied: 600 }))).toEqual([
			["1000", 1000, 0],
			["1100", 0, 600],
			["2100", 0, 400],
		]);
		expect(lines(paymentReceived({ amount: 1000, applied: 1000 }))).toEqual([
			["1000", 1000, 0],
			["1100", 0, 1000],
		]);
		expect(lines(creditApplied(300))).toEqual([
			["2100", 300, 0],
			["1100", 0, 300],
		]);
		expect(creditUnapplied(300)).toEqual(reverse(creditApplied(300)));
		expect(lines(refundIssued({ fromCredit: 200, fromReceivable: 50 }))).toEqual([
			["2100", 200, 0],
			["1100", 50, 0],
			["1000", 0, 250],
		]);
		expect(
			lines(
				creditNoteIssued({ net: 1000, taxLines: [{ jurisdiction: "DE", amount: 190 }], toInvoice: 800, toCredit: 390 }),
			),
		).toEqual([
			["4200", 1000, 0],
			["2200-DE", 190, 0],
			["1100", 0, 800],
			["2100", 0, 390],
		]);
		expect(chargebackLost({ fromCredit: 100, fromReceivable: 800 })).toEqual(
			refundIssued({ fromCredit: 100, fromReceivable: 800 }),
		);
	});

	it("every rule balances for any amounts, and drops lines that move nothing", () => {
		fc.assert(
			fc.property(amount, amount, amount, amount, (a, b, c, d) => {
				const taxLines = [
					{ jurisdiction: "A", amount: c },
					{ jurisdiction: "B", amount: d },
				];
				const postings = [
					invoiceIssued({ subtotal: a + b, discountTotal: b, total: a + c + d, taxLines }),
					invoiceVoided({ subtotal: a + b, discountTotal: b, total: a + c + d, taxLines }),
					invoiceWrittenOff(a),
					paymentReceived({ amount: a + b, applied: a }),
					creditApplied(a),
					creditUnapplied(b),
					refundIssued({ fromCredit: a, fromReceivable: b }),
					creditNoteIssued({
						net: a,
						taxLines,
						toInvoice: Math.min(b, a + c + d),
						toCredit: a + c + d - Math.min(b, a + c + d),
					}),
					chargebackLost({ fromCredit: b, fromReceivable: a }),
				];
				for (const p of postings) {
					expect(isBalanced(p)).toBe(true);
					expect(p.lines.every((l) => l.debit > 0 || l.credit > 0)).toBe(true);
					expect(totals(reverse(p))).toEqual({ debit: totals(p).credit, credit: totals(p).debit });
				}
			}),
			{ numRuns: 500 },
		);
	});

	it("isBalanced refuses unequal sides, negative or fractional amounts", () => {
		expect(isBalanced({ lines: [{ role: "cash", debit: 1, credit: 0 }] })).toBe(false);
		expect(
			isBalanced({
				lines: [
					{ role: "cash", debit: -1, credit: 0 },
					{ role: "revenue", debit: 0, credit: -1 },
				],
			}),
		).toBe(false);
		expect(
			isBalanced({
				lines: [
					{ role: "cash", debit: 0.5, credit: 0 },
					{ role: "revenue", debit: 0, credit: 0.5 },
				],
			}),
		).toBe(false);
	});

	it("names accounts, including per-jurisdiction tax accounts", () => {
		expect(accountName("1100")).toBe("Accounts receivable");
		expect(accountName("2200-DE")).toBe("Tax payable (DE)");
		expect(accountName("9999")).toBe("9999");
	});
});
