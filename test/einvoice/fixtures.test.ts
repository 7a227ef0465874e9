// CI conformance: every fixture rendered through the real renderers in every syntax passes the official
// XSD and the rule checks, and reads back with the totals, VAT breakdown and tax ids it was given.
import { describe, expect, test } from "vitest";
import { renderCii } from "../../src/documents/einvoice/cii";
import type { EInvoice, EInvoiceFormat } from "../../src/documents/einvoice/model";
import { toFacts } from "../../src/documents/einvoice/preflight";
import type { InvoiceFacts } from "../../src/documents/einvoice/rules";
import { renderUbl } from "../../src/documents/einvoice/ubl";
import { renderXRechnung } from "../../src/documents/einvoice/xrechnung";
import { type Decimal, formatDecimal } from "../../src/domain/decimal";
import {
	allowancesAndCharges,
	bahrainiDinar,
	domesticTwoRates,
	fixtures,
	kuwaitiDinar,
	reverseChargeFrance,
	yenWithEuroVat,
} from "./fixtures";
import { checkDocument, readInvoice } from "./rules/readXml";
import { xsdFindingsOfXml } from "./validator";

const renderers: Record<EInvoiceFormat, (invoice: EInvoice) => string> = {
	ubl: renderUbl,
	xrechnung: renderXRechnung,
	cii: renderCii,
};
const formats = Object.keys(renderers) as EInvoiceFormat[];

function read(invoice: EInvoice, format: EInvoiceFormat): InvoiceFacts {
	const facts = readInvoice(renderers[format](invoice));
	if ("rule" in facts) throw new Error(facts.message);
	return facts;
}

/** Decimals as their canonical text, so that 19741/100 and 197.41 compare equal. */
const text = (value: Decimal | undefined) => (value === undefined ? undefined : formatDecimal(value));
const totalsOf = (facts: InvoiceFacts) =>
	Object.fromEntries(Object.entries(facts.totals ?? {}).map(([term, value]) => [term, text(value)]));
const breakdownOf = (facts: InvoiceFacts) =>
	(facts.vatBreakdown ?? []).map((entry) => ({
		category: entry.category?.code,
		rate: text(entry.category?.ratePercent),
		taxable: text(entry.taxableAmount),
		tax: text(entry.taxAmount),
		exemptionReasonCode: entry.exemptionReasonCode,
	}));

describe.each(Object.entries(fixtures))("fixture %s", (name, invoice) => {
	test.each(formats)("%s passes the XSD", async (format) => {
		expect(await xsdFindingsOfXml(`${name}-${format}.xml`, renderers[format](invoice))).toEqual([]);
	});

	test.each(formats)("%s passes the rule checks", (format) => {
		expect(checkDocument(renderers[format](invoice))).toEqual([]);
	});

	test.each(formats)("%s carries the totals BT-106…BT-115, the VAT breakdown and the tax ids", (format) => {
		const expected = toFacts(invoice, format);
		const actual = read(invoice, format);
		expect(totalsOf(actual)).toEqual(totalsOf(expected));
		expect(breakdownOf(actual)).toEqual(breakdownOf(expected));
		expect(actual.seller?.vatId).toBe(invoice.seller.vatId);
		expect(actual.seller?.taxRegistrationId).toBe(invoice.seller.taxRegistrationId);
		expect(actual.buyer?.vatId).toBe(invoice.buyer.vatId);
		expect(actual.currency).toBe(invoice.currency);
		expect(text(actual.taxCurrency?.vatTotal)).toBe(text(expected.taxCurrency?.vatTotal));
	});
});

describe("key figures as written", () => {
	test.each(formats)("domestic DE, %s: two S rates and their totals", (format) => {
		const facts = read(domesticTwoRates, format);
		expect(breakdownOf(facts)).toEqual([
			{ category: "S", rate: "19", taxable: "99.8", tax: "18.96", exemptionReasonCode: undefined },
			{ category: "S", rate: "7", taxable: "73.5", tax: "5.15", exemptionReasonCode: undefined },
		]);
		expect(totalsOf(facts)).toMatchObject({
			lineNetTotal: "173.3",
			vatTotal: "24.11",
			taxInclusive: "197.41",
			payable: "197.41",
		});
	});

	test.each(formats)("reverse charge, %s: AE with both VAT ids and VATEX-EU-AE", (format) => {
		const facts = read(reverseChargeFrance, format);
		expect(facts.seller?.vatId).toBe("DE123456789");
		expect(facts.buyer?.vatId).toBe("FR61954506077");
		expect(breakdownOf(facts)).toEqual([
			{ category: "AE", rate: "0", taxable: "1200", tax: "0", exemptionReasonCode: "VATEX-EU-AE" },
		]);
	});

	test.each(formats)("allowances, %s: BT-107, BT-108, BT-113, BT-114", (format) => {
		expect(totalsOf(read(allowancesAndCharges, format))).toEqual({
			lineNetTotal: "175",
			allowanceTotal: "8.75",
			chargeTotal: "4.9",
			taxExclusive: "171.15",
			vatTotal: "32.52",
			taxInclusive: "203.67",
			prepaid: "50",
			rounding: "0.03",
			payable: "153.7",
		});
	});

	test.each(formats)("JPY, %s: whole yen and BT-111 in euro", (format) => {
		const facts = read(yenWithEuroVat, format);
		expect(text(facts.totals?.payable)).toBe("42840");
		expect(facts.taxCurrency?.currency).toBe("EUR");
		expect(text(facts.taxCurrency?.vatTotal)).toBe("42.75");
	});

	test.each(formats)("KWD, %s: amounts rounded to two decimals and summed from the rounded parts", (format) => {
		const facts = read(kuwaitiDinar, format);
		// 3.765 → 3.77; 26.005 − 1.005 → 26.01 − 1.01 = 25.00; BT-106 = 28.77 although the fils add up to 28.765.
		expect(facts.lines?.map((line) => text(line.netAmount))).toEqual(["3.77", "25"]);
		expect(text(facts.lines?.[0]?.price?.netPrice)).toBe("1.255");
		expect(totalsOf(facts)).toMatchObject({ lineNetTotal: "28.77", taxExclusive: "28.77", payable: "28.77" });
		expect(breakdownOf(facts)[0]?.taxable).toBe("28.77");
	});

	test.each(formats)("BHD, %s: the tax of a three-decimal currency at two decimals", (format) => {
		const facts = read(bahrainiDinar, format);
		expect(breakdownOf(facts)).toEqual([
			{ category: "S", rate: "10", taxable: "3.77", tax: "0.38", exemptionReasonCode: undefined },
		]);
		expect(totalsOf(facts)).toMatchObject({ vatTotal: "0.38", taxInclusive: "4.15", payable: "4.15" });
	});

	test("a credit note is a UBL CreditNote naming the invoice it corrects (BT-25)", () => {
		const xml = renderUbl(fixtures["credit-note"] as EInvoice);
		expect(xml).toContain("<CreditNote ");
		expect(xml).toContain("<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>");
		const facts = read(fixtures["credit-note"] as EInvoice, "cii");
		expect(facts.typeCode).toBe("381");
		expect(facts.precedingInvoices).toEqual([{ number: "RE-2026-0001", issueDate: "2026-11-30" }]);
	});
});
