import { describe, expect, it } from "vitest";
import { renderInvoicePdf } from "../../src/documents/invoicePdf";
import type { InvoiceDocument } from "../../src/documents/model";
import { pdfPages } from "../helpers/pdfText";

const invoice = (overrides: Partial<InvoiceDocument> = {}): InvoiceDocument => ({
	kind: "invoice",
	number: "INV-2026-0042",
	draft: false,
	locale: "de-DE",
	currency: "EUR",
	seller: {
		name: "Ørsted Łódź Software GmbH",
		addressLines: ["Müllerstraße 1", "10115 Berlin", "Germany"],
		taxId: "DE123456789",
		registration: "Amtsgericht Berlin HRB 12345",
		email: "billing@example.com",
	},
	buyer: {
		name: "Ελλάδα Москва Trading",
		addressLines: ["Odos 5", "10558 Athens", "GR"],
		taxId: "EL987654321",
		registration: null,
		email: null,
	},
	logo: null,
	issueDate: "2026-03-01",
	dueDate: "2026-03-31",
	servicePeriod: { from: "2026-02-01", to: "2026-02-28" },
	paymentTerms: "net30",
	correcting: null,
	lines: [
		{
			description: "Consulting",
			quantity: "2.500000",
			unit: "h",
			unitPrice: 120000,
			discount: 0,
			taxLabel: "DE 19%",
			net: 300000,
		},
		{
			description: "Licence € £ ¥ ₹",
			quantity: "1",
			unit: null,
			unitPrice: 50000,
			discount: 5000,
			taxLabel: "DE 7%",
			net: 45000,
		},
	],
	taxBreakdown: [
		{ label: "DE", rate: "19", taxable: 300000, amount: 57000 },
		{ label: "DE", rate: "7", taxable: 45000, amount: 3150 },
	],
	totals: {
		subtotal: 350000,
		discount: 5000,
		tax: 60150,
		total: 405150,
		paid: 100000,
		credited: 0,
		writtenOff: 0,
		balance: 305150,
	},
	notes: ["Reverse charge: VAT to be accounted for by the recipient."],
	payment: {
		beneficiary: "Ørsted Łódź Software GmbH",
		iban: "DE89 3704 0044 0532 0130 00",
		bic: "COBADEFFXXX",
		reference: "INV-2026-0042",
	},
	footer: "Thank you for your business.",
	...overrides,
});

describe("renderInvoicePdf", () => {
	it("prints the legal fields, Unicode names, tax breakdown and totals", async () => {
		const bytes = await renderInvoicePdf(invoice());
		expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
		const [text = ""] = await pdfPages(bytes);
		for (const expected of [
			"Ørsted Łódź Software GmbH",
			"Ελλάδα Москва Trading",
			"Müllerstraße 1",
			"Tax ID: DE123456789",
			"Amtsgericht Berlin HRB 12345",
			"Tax ID: EL987654321",
			"INV-2026-0042",
			"01.03.2026",
			"31.03.2026",
			"Licence € £ ¥ ₹",
			"3.000,00 €",
			"570,00 €",
			"31,50 €",
			"4.051,50 €",
			"-1.000,00 €",
			"3.051,50 €",
			"Reverse charge",
			"DE89 3704 0044 0532 0130 00",
			"COBADEFFXXX",
			"Thank you for your business.",
			"Page 1 of 1",
		]) {
			expect(text).toContain(expected);
		}
		expect(text).not.toContain("DRAFT");
	});

	it("formats per currency exponent and locale", async () => {
		const [text = ""] = await pdfPages(
			await renderInvoicePdf(
				invoice({
					locale: "en-US",
					currency: "JPY",
					payment: null,
					lines: [
						{
							description: "Yen item",
							quantity: "3",
							unit: null,
							unitPrice: 1500,
							discount: 0,
							taxLabel: "",
							net: 4500,
						},
					],
					taxBreakdown: [],
					totals: {
						subtotal: 4500,
						discount: 0,
						tax: 0,
						total: 4500,
						paid: 0,
						credited: 0,
						writtenOff: 0,
						balance: 4500,
					},
				}),
			),
		);
		expect(text).toContain("¥4,500");
		expect(text).toContain("Mar 1, 2026");
	});

	it("watermarks a draft", async () => {
		const [text = ""] = await pdfPages(await renderInvoicePdf(invoice({ number: null, draft: true })));
		expect(text).toContain("DRAFT");
	});

	it("paginates 500 lines with every line on some page, headers repeated and pages numbered", async () => {
		const lines = Array.from({ length: 500 }, (_, i) => ({
			description: `Usage item ${String(i + 1).padStart(3, "0")}`,
			quantity: "1",
			unit: null,
			unitPrice: 100,
			discount: 0,
			taxLabel: "DE 19%",
			net: 100,
		}));
		const pages = await pdfPages(
			await renderInvoicePdf(
				invoice({
					lines,
					taxBreakdown: [{ label: "DE", rate: "19", taxable: 50000, amount: 9500 }],
					totals: {
						subtotal: 50000,
						discount: 0,
						tax: 9500,
						total: 59500,
						paid: 0,
						credited: 0,
						writtenOff: 0,
						balance: 59500,
					},
				}),
			),
		);
		expect(pages.length).toBeGreaterThan(5);
		const all = pages.join("\n");
		for (let i = 1; i <= 500; i++) expect(all).toContain(`Usage item ${String(i).padStart(3, "0")}`);
		pages.forEach((page, index) => {
			expect(page).toContain(`Page ${index + 1} of ${pages.length}`);
			if (page.includes("Usage item")) expect(page).toContain("Unit price");
			if (index > 0) expect(page).toContain("Invoice INV-2026-0042 (continued)");
		});
		expect(pages.at(-1)).toContain("595,00 €");
		expect(all).toContain("Taxable amount");
	});
});
