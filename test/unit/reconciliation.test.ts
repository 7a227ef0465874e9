import { describe, expect, it } from "vitest";
import { matchLine } from "../../src/domain/reconciliation";

const invoices = [
	{ id: "inv_a", number: "INV-2026-0001", customerId: "cus_1", currency: "EUR", balance: 1000 },
	{ id: "inv_b", number: "INV-2026-0002", customerId: "cus_2", currency: "EUR", balance: 2500 },
	{ id: "inv_c", number: "INV-2026-0003", customerId: "cus_3", currency: "EUR", balance: 2500 },
	{ id: "inv_d", number: "INV-2026-0004", customerId: "cus_3", currency: "USD", balance: 700 },
];
const payments = [
	{ id: "pay_1", reference: "SEPA-1", amount: 900, currency: "EUR", paidOn: "2026-03-10" },
	{ id: "pay_2", reference: null, amount: 4321, currency: "EUR", paidOn: "2026-03-10" },
];
const line = (extra: Partial<Parameters<typeof matchLine>[0]>) => ({
	date: "2026-03-11",
	amount: 1,
	currency: "EUR",
	...extra,
});

describe("matching statement lines", () => {
	it("matches a recorded payment by reference and amount first", () => {
		expect(matchLine(line({ amount: 900, reference: "SEPA-1" }), invoices, payments)).toEqual({
			status: "matched",
			match_type: "payment_reference",
			payment_id: "pay_1",
		});
	});

	it("matches an invoice named in the reference or description, in the same currency", () => {
		expect(
			matchLine(line({ amount: 123, description: "Payment for INV-2026-0002 thanks" }), invoices, payments),
		).toMatchObject({
			status: "matched",
			match_type: "invoice_reference",
			invoice_id: "inv_b",
			customer_id: "cus_2",
		});
		expect(matchLine(line({ amount: 700, reference: "INV-2026-0004" }), invoices, payments)).toEqual({
			status: "unmatched",
		});
		expect(
			matchLine(line({ amount: 700, currency: "USD", reference: "INV-2026-0004" }), invoices, payments),
		).toMatchObject({ match_type: "invoice_reference" });
	});

	it("falls back to a unique open balance of the same amount, else reports the candidates", () => {
		expect(matchLine(line({ amount: 1000 }), invoices, payments)).toMatchObject({
			status: "matched",
			match_type: "invoice_amount",
			invoice_id: "inv_a",
		});
		expect(matchLine(line({ amount: 2500 }), invoices, payments)).toEqual({
			status: "ambiguous",
			candidates: ["inv_b", "inv_c"],
		});
		expect(matchLine(line({ description: "INV-2026-0002 and INV-2026-0003" }), invoices, payments)).toEqual({
			status: "ambiguous",
			candidates: ["inv_b", "inv_c"],
		});
	});

	it("matches a recorded payment by amount within three days, else nothing", () => {
		expect(matchLine(line({ amount: 4321, date: "2026-03-13" }), invoices, payments)).toEqual({
			status: "matched",
			match_type: "payment_amount_date",
			payment_id: "pay_2",
		});
		expect(matchLine(line({ amount: 4321, date: "2026-03-14" }), invoices, payments)).toEqual({ status: "unmatched" });
		expect(matchLine(line({ amount: 5 }), invoices, payments)).toEqual({ status: "unmatched" });
	});
});
