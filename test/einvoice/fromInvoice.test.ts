// CI conformance of the real mapping: invoices priced by the same totals chain the API uses, stored as the
// API stores them, mapped by fromInvoice and rendered in every syntax, pass the official XSD and the rule
// checks. The route tests (in workerd, without xmllint) check the files the endpoints return with the same
// rule checks.
import { describe, expect, test } from "vitest";
import type { creditNotes, customers, invoiceLines, invoices, LegalProfile } from "../../src/db/schema";
import { renderCii } from "../../src/documents/einvoice/cii";
import {
	creditNoteToEInvoice,
	type IssuedInvoice,
	invoiceToEInvoice,
	lineVatCategory,
	type SellerData,
} from "../../src/documents/einvoice/fromInvoice";
import type { EInvoice, EInvoiceFormat } from "../../src/documents/einvoice/model";
import { preflight } from "../../src/documents/einvoice/preflight";
import { renderUbl } from "../../src/documents/einvoice/ubl";
import { renderXRechnung } from "../../src/documents/einvoice/xrechnung";
import { formatDecimal } from "../../src/domain/decimal";
import type { LineInput } from "../../src/domain/invoiceTotals";
import { computeTaxedTotals } from "../../src/domain/tax/invoiceLines";
import { dec } from "./fixtures";
import { checkDocument, readInvoice } from "./rules/readXml";
import { xsdFindingsOfXml } from "./validator";

type CustomerRow = typeof customers.$inferSelect;

const renderers: Record<EInvoiceFormat, (invoice: EInvoice) => string> = {
	ubl: renderUbl,
	xrechnung: renderXRechnung,
	cii: renderCii,
};
const formats = Object.keys(renderers) as EInvoiceFormat[];

const profile: LegalProfile = {
	legal_name: "Muster Software GmbH",
	address_lines: ["Friedrichstraße 100", "10117 Berlin"],
	tax_id: "DE123456789",
	registration: "Amtsgericht Berlin-Charlottenburg HRB 123456 B",
	company_id: "HRB 123456 B",
	iban: "DE75 5121 0800 1245 1261 99",
	bic: "SOGEDEFFXXX",
	locale: "de-DE",
	email_from: null,
	electronic_address: { value: "DE123456789", scheme: "9930" },
	contact: { name: "Erika Mustermann", phone: "+49 30 1234567", email: "billing@muster.example" },
	postal_address: { line1: "Friedrichstraße 100", city: "Berlin", postal_code: "10117", country: "DE" },
};
const seller: SellerData = { name: "Muster Cloud", legalProfile: profile, originCountry: "DE" };

const customer = (overrides: Partial<CustomerRow>): CustomerRow => ({
	id: "cus_1",
	tenantId: "ten_1",
	name: "Bezirksamt Mitte von Berlin",
	email: "einkauf@ba-mitte.example",
	phone: null,
	dunningRuleId: null,
	servicesHeldAt: null,
	billingAddress: { line1: "Karl-Marx-Allee 31", city: "Berlin", postal_code: "10178", country: "DE" },
	taxId: null,
	taxStatus: "taxable",
	taxExemptionReason: null,
	taxExemptionReasonCode: null,
	externalId: null,
	electronicAddress: { value: "04011000-1234512345-06", scheme: "0204" },
	buyerReference: "04011000-1234512345-06",
	preferredEinvoiceFormat: "xrechnung",
	currency: "EUR",
	paymentTerms: "net30",
	accountCode: null,
	segment: null,
	testClockId: null,
	status: "active",
	metadata: {},
	version: 1,
	createdAt: "2026-11-01T00:00:00.000Z",
	updatedAt: "2026-11-01T00:00:00.000Z",
	deletedAt: null,
	...overrides,
});

/** An issued invoice as the API stores it: its lines priced by the same totals chain (taxes as stated). */
function issued(
	currency: string,
	items: (Omit<LineInput, "sku" | "discounts"> & Partial<LineInput> & { unitCode?: string })[],
): IssuedInvoice {
	const totals = computeTaxedTotals(
		items.map((item) => ({ sku: null, discounts: [], ...item })),
		null,
	);
	const invoice: typeof invoices.$inferSelect = {
		id: "inv_1",
		tenantId: "ten_1",
		customerId: "cus_1",
		number: `INV-2026-${currency}`,
		subscriptionId: null,
		status: "issued",
		currency,
		paymentTerms: "net30",
		issueDate: "2026-11-30",
		dueDate: "2026-12-30",
		subtotal: totals.subtotal,
		discountTotal: totals.discountTotal,
		taxTotal: totals.taxTotal,
		total: totals.total,
		amountPaid: 0,
		amountCredited: 0,
		amountWrittenOff: 0,
		balance: totals.total,
		memo: "Thank you for your business.",
		terms: null,
		orderReference: "BEST-4711",
		contractReference: "RV-2026-17",
		metadata: {},
		sourceRef: null,
		postedToGl: true,
		fxRate: null,
		journalEntryId: null,
		writeOffReason: null,
		voidReason: null,
		version: 2,
		createdAt: "2026-11-30T09:00:00.000Z",
		updatedAt: "2026-11-30T09:00:00.000Z",
		finalizedAt: "2026-11-30T09:00:00.000Z",
		paidAt: null,
		voidedAt: null,
		writtenOffAt: null,
	};
	const lines: (typeof invoiceLines.$inferSelect)[] = totals.lines.map((line, position) => ({
		...line,
		id: `line_${position}`,
		tenantId: "ten_1",
		invoiceId: "inv_1",
		position,
		unitCode: items[position]?.unitCode ?? "C62",
	}));
	return { invoice, lines };
}

const de = (rate: string) => [{ jurisdiction: "DE", rate: dec(rate) }];

const cases: Record<string, { invoice: IssuedInvoice; buyer: CustomerRow }> = {
	"EUR at 19 % and 7 % with a discount": {
		invoice: issued("EUR", [
			{
				description: "Cloud subscription",
				quantity: dec("2"),
				unitPrice: 4990,
				unitCode: "MON",
				discounts: [{ type: "percent", percent: dec("10") }],
				taxes: de("19"),
			},
			{ description: "Handbook", quantity: dec("3"), unitPrice: 2450, taxes: de("7") },
			{ description: "Support hours", quantity: dec("1.5"), unitPrice: 9000, unitCode: "HUR", taxes: de("19") },
		]),
		buyer: customer({}),
	},
	"zero rated": {
		invoice: issued("EUR", [{ description: "Newspaper", quantity: dec("1"), unitPrice: 1000, taxes: de("0") }]),
		buyer: customer({}),
	},
	"KWD with fils that do not round to hundredths": {
		invoice: issued("KWD", [
			{ description: "Receipt paper", quantity: dec("3"), unitPrice: 1255, taxes: de("19") },
			{ description: "Card reader", quantity: dec("7"), unitPrice: 12333, taxes: de("7") },
		]),
		buyer: customer({ currency: "KWD" }),
	},
	"prices including tax, next to a net price": {
		invoice: issued("EUR", [
			{ description: "Paper rolls", quantity: dec("3"), unitPrice: 999, taxes: de("19"), pricesIncludeTax: true },
			{ description: "Magazine", quantity: dec("2"), unitPrice: 535, taxes: de("7"), pricesIncludeTax: true },
			{
				description: "Card reader",
				quantity: dec("1.5"),
				unitPrice: 11900,
				discounts: [{ type: "amount", amount: 1190 }],
				taxes: de("19"),
				pricesIncludeTax: true,
			},
			{ description: "Support hours", quantity: dec("1"), unitPrice: 9000, taxes: de("19") },
		]),
		buyer: customer({}),
	},
	"KWD prices including tax": {
		invoice: issued("KWD", [
			{ description: "Receipt paper", quantity: dec("7"), unitPrice: 1255, taxes: de("19"), pricesIncludeTax: true },
		]),
		buyer: customer({ currency: "KWD" }),
	},
	JPY: {
		invoice: issued("JPY", [{ description: "Licence", quantity: dec("3"), unitPrice: 14999, taxes: de("19") }]),
		buyer: customer({ currency: "JPY" }),
	},
};

const note = (invoice: IssuedInvoice, amount: number, netAmount: number): typeof creditNotes.$inferSelect => ({
	id: "cn_1",
	tenantId: "ten_1",
	customerId: "cus_1",
	invoiceId: invoice.invoice.id,
	number: "CN-2026-0001",
	lines: [],
	status: "issued",
	currency: invoice.invoice.currency,
	amount,
	netAmount,
	taxLines: [{ jurisdiction: "DE", amount: amount - netAmount }],
	reason: "Service outage",
	amountApplied: amount,
	requestKey: null,
	journalEntryId: null,
	createdAt: "2026-12-05T10:00:00.000Z",
	voidedAt: null,
});

const euro = cases["EUR at 19 % and 7 % with a discount"] as (typeof cases)[string];
const models: Record<string, EInvoice> = {
	...Object.fromEntries(
		Object.entries(cases).map(([name, { invoice, buyer }]) => [name, invoiceToEInvoice(invoice, seller, buyer)]),
	),
	"credit note over two rates": creditNoteToEInvoice(note(euro.invoice, 9542, 8420), euro.invoice, seller, euro.buyer),
	"credit note of the 7 % line only": creditNoteToEInvoice(
		note(euro.invoice, 7865, 7350),
		euro.invoice,
		seller,
		euro.buyer,
	),
	"credit note all at the highest rate": creditNoteToEInvoice(
		note(euro.invoice, 11900, 10000),
		euro.invoice,
		seller,
		euro.buyer,
	),
};

describe.each(Object.entries(models))("%s", (name, model) => {
	test.each(formats)("%s passes the pre-flight, the XSD and the rule checks", async (format) => {
		expect(preflight(model, format)).toEqual([]);
		const xml = renderers[format](model);
		expect(checkDocument(xml)).toEqual([]);
		expect(await xsdFindingsOfXml(`mapped-${name.replace(/\W+/g, "-")}-${format}.xml`, xml)).toEqual([]);
	});
});

describe("the mapping", () => {
	test("takes the totals and the tax the invoice charged, per rate", () => {
		const { invoice } = euro.invoice;
		const model = models["EUR at 19 % and 7 % with a discount"] as EInvoice;
		expect(model.totals).toEqual({
			lineNetTotal: invoice.subtotal - invoice.discountTotal,
			taxExclusive: invoice.subtotal - invoice.discountTotal,
			vatTotal: invoice.taxTotal,
			taxInclusive: invoice.total,
			payable: invoice.total,
		});
		expect(model.vatBreakdown.map((e) => [e.category.code, formatDecimal(e.category.ratePercent ?? dec("0"))])).toEqual(
			[
				["S", "19"],
				["S", "7"],
			],
		);
		expect(model.lines.map((l) => l.unitCode)).toEqual(["MON", "C62", "HUR"]);
		expect(model.lines[0]?.allowances).toEqual([{ amount: 998, reason: "Discount" }]);
		expect(model.purchaseOrderReference).toBe("BEST-4711");
		expect(model.seller).toMatchObject({
			vatId: "DE123456789",
			legalRegistrationId: { value: "HRB 123456 B" },
			electronicAddress: { value: "DE123456789", scheme: "9930" },
			contact: { name: "Erika Mustermann", telephone: "+49 30 1234567", email: "billing@muster.example" },
			address: { city: "Berlin", postalCode: "10117", countryCode: "DE" },
		});
	});

	test("a credit note names its invoice and splits the credit over the invoice's rates, adding up to it", () => {
		const model = models["credit note over two rates"] as EInvoice;
		expect(model.typeCode).toBe("381");
		expect(model.precedingInvoices).toEqual([{ number: "INV-2026-EUR", issueDate: "2026-11-30" }]);
		const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
		expect(sum(model.vatBreakdown.map((e) => e.taxableAmount))).toBe(8420);
		expect(sum(model.vatBreakdown.map((e) => e.taxAmount))).toBe(1122);
		const seven = models["credit note of the 7 % line only"] as EInvoice;
		expect(
			seven.vatBreakdown.map((e) => [formatDecimal(e.category.ratePercent ?? dec("0")), e.taxableAmount, e.taxAmount]),
		).toEqual([["7", 7350, 515]]);
	});

	test("a line's category: the engine's, else standard when taxed and zero rated when not; rates add up", () => {
		expect(lineVatCategory({ taxes: [{ jurisdiction: "DE", rate: "19", amount: 1 }], taxCategory: null })).toEqual({
			code: "S",
			ratePercent: dec("19"),
		});
		expect(lineVatCategory({ taxes: [], taxCategory: null }).code).toBe("Z");
		expect(lineVatCategory({ taxes: [{ jurisdiction: "FR", rate: "0", amount: 0 }], taxCategory: "AE" })).toEqual({
			code: "AE",
			ratePercent: dec("0"),
		});
		const combined = lineVatCategory({
			taxCategory: null,
			taxes: [
				{ jurisdiction: "CA", rate: "5", amount: 1 },
				{ jurisdiction: "CA-QC", rate: "9.975", amount: 1 },
			],
		});
		expect(formatDecimal(combined.ratePercent ?? dec("0"))).toBe("14.975");
	});

	test("a line whose price included tax has its net unit price, or its net amount for the whole quantity", () => {
		const model = models["prices including tax, next to a net price"] as EInvoice;
		expect(
			model.lines.map((line) => ({
				net: line.netAmount,
				price: formatDecimal(line.price.netPrice),
				base: line.price.baseQuantity && formatDecimal(line.price.baseQuantity),
			})),
		).toEqual([
			// 29.97 gross = 25.18 net + 4.79 tax: 25.18 / 3 does not divide, so it is the price of all three.
			{ net: 2518, price: "25.18", base: "3" },
			{ net: 1000, price: "5", base: undefined },
			// 178.50 − 11.90 gross = 150.00 − 10.00 net: 150.00 / 1.5 = 100 each.
			{ net: 14000, price: "100", base: undefined },
			{ net: 9000, price: "90", base: undefined },
		]);
		expect(model.lines[2]?.allowances).toEqual([{ amount: 1000, reason: "Discount" }]);
		expect(model.totals.taxInclusive).toBe(2997 + 1070 + 16660 + 10710);
	});

	test("the KWD file reads back at two decimals", () => {
		const xml = renderUbl(models["KWD with fils that do not round to hundredths"] as EInvoice);
		const facts = readInvoice(xml);
		if ("rule" in facts) throw new Error(facts.message);
		expect(facts.currency).toBe("KWD");
		expect(xml).not.toMatch(/<cbc:(?!PriceAmount)\w*Amount currencyID="KWD">-?\d+\.\d{3}</);
	});
});
