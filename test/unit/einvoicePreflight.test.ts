// The pre-flight check names the rule a format would break, before any file is rendered; the renderers
// run here inside workerd, where the endpoint will call them.
import { describe, expect, test } from "vitest";
import { renderCii } from "../../src/documents/einvoice/cii";
import type { EInvoice, EInvoiceFormat } from "../../src/documents/einvoice/model";
import { preflight } from "../../src/documents/einvoice/preflight";
import { renderUbl } from "../../src/documents/einvoice/ubl";
import { renderXRechnung } from "../../src/documents/einvoice/xrechnung";
import {
	allowancesAndCharges,
	dec,
	domesticTwoRates,
	exportUnitedStates,
	fixtures,
	intraCommunityAustria,
	kuwaitiDinar,
	reverseChargeFrance,
} from "../einvoice/fixtures";

const formats: EInvoiceFormat[] = ["ubl", "xrechnung", "cii"];
const rules = (invoice: EInvoice, format: EInvoiceFormat) => preflight(invoice, format).map((f) => f.rule);
const copy = (invoice: EInvoice): EInvoice => structuredClone(invoice);

describe("preflight", () => {
	test.each(Object.keys(fixtures))("fixture %s satisfies every format", (name) => {
		for (const format of formats) expect(preflight(fixtures[name] as EInvoice, format)).toEqual([]);
	});

	test("XRechnung needs the buyer reference (Leitweg-ID); CII and Peppol with an order reference do not", () => {
		const invoice = copy(domesticTwoRates);
		invoice.buyerReference = undefined;
		expect(rules(invoice, "xrechnung")).toEqual(["BR-DE-15"]);
		expect(rules(invoice, "ubl")).toEqual([]);
		expect(rules(invoice, "cii")).toEqual([]);
		invoice.purchaseOrderReference = undefined;
		expect(rules(invoice, "ubl")).toEqual(["PEPPOL-EN16931-R003"]);
	});

	test("Peppol and XRechnung need the buyer's electronic address", () => {
		const invoice = copy(domesticTwoRates);
		invoice.buyer.electronicAddress = undefined;
		expect(rules(invoice, "ubl")).toEqual(["PEPPOL-EN16931-R010"]);
		expect(rules(invoice, "xrechnung")).toEqual(["PEPPOL-EN16931-R010"]);
		expect(rules(invoice, "cii")).toEqual([]);
	});

	test("an electronic address scheme outside the EAS list is refused", () => {
		const invoice = copy(domesticTwoRates);
		invoice.seller.electronicAddress = { scheme: "9999", value: "x" };
		expect(rules(invoice, "ubl")).toEqual(["BR-CL-25", "PEPPOL-EN16931-CL008"]);
	});

	test("reverse charge needs both VAT ids", () => {
		const noBuyerVat = copy(reverseChargeFrance);
		noBuyerVat.buyer.vatId = undefined;
		noBuyerVat.buyer.legalRegistrationId = undefined;
		expect(rules(noBuyerVat, "cii")).toEqual(["BR-AE-02"]);
		const noSellerVat = copy(reverseChargeFrance);
		noSellerVat.seller.vatId = undefined;
		expect(rules(noSellerVat, "cii")).toEqual(["BR-AE-02"]);
	});

	test("an intra-community supply needs the delivery date and the deliver-to country", () => {
		const invoice = copy(intraCommunityAustria);
		invoice.delivery = undefined;
		invoice.invoicingPeriod = undefined;
		expect(rules(invoice, "cii")).toEqual(["BR-IC-11", "BR-IC-12"]);
	});

	test("exempt and export categories need their exemption reason", () => {
		const invoice = copy(exportUnitedStates);
		const entry = invoice.vatBreakdown[0];
		if (entry) {
			entry.exemptionReason = undefined;
			entry.exemptionReasonCode = undefined;
		}
		expect(rules(invoice, "cii")).toEqual(["BR-G-10"]);
	});

	test("XRechnung needs the seller contact and payment instructions", () => {
		const invoice = copy(domesticTwoRates);
		invoice.seller.contact = { name: "Erika Mustermann" };
		invoice.paymentInstructions = undefined;
		expect(rules(invoice, "xrechnung")).toEqual(["BR-DE-1", "BR-DE-6", "BR-DE-7"]);
	});

	test("totals that do not add up are refused with the sum rule they break", () => {
		const invoice = copy(allowancesAndCharges);
		invoice.totals.taxInclusive += 1;
		expect(rules(invoice, "cii")).toEqual(["BR-CO-15", "BR-CO-16"]);
		const lines = copy(allowancesAndCharges);
		lines.totals.allowanceTotal = 0;
		expect(rules(lines, "cii")).toContain("BR-CO-11");
	});

	test("a VAT breakdown that does not match its lines is refused", () => {
		const invoice = copy(domesticTwoRates);
		const reduced = invoice.vatBreakdown[1];
		if (reduced) reduced.taxableAmount += 100;
		expect(rules(invoice, "cii")).toEqual(expect.arrayContaining(["BR-S-08"]));
	});

	test("a KWD amount with a third decimal is written at two (BR-DEC-*), the sums recomputed so they still hold", () => {
		const invoice = copy(kuwaitiDinar);
		const line = invoice.lines[0];
		if (line) {
			line.netAmount = 5025;
			line.price.netPrice = dec("1.25625");
		}
		invoice.vatBreakdown = invoice.vatBreakdown.map((entry) => ({ ...entry, taxableAmount: 30025 }));
		invoice.totals = { lineNetTotal: 30025, taxExclusive: 30025, vatTotal: 0, taxInclusive: 30025, payable: 30025 };
		expect(rules(invoice, "cii")).toEqual([]);
		expect(renderCii(invoice)).toContain("<ram:LineTotalAmount>5.03</ram:LineTotalAmount>");
	});

	test("an unknown currency is refused before any amount is formatted", () => {
		const invoice = copy(domesticTwoRates);
		invoice.currency = "EURO";
		expect(rules(invoice, "ubl")).toEqual(["BR-CL-04"]);
	});

	test("an unknown unit code is refused (UN/ECE Rec 20)", () => {
		const invoice = copy(domesticTwoRates);
		const line = invoice.lines[0];
		if (line) line.unitCode = "MONTH";
		expect(rules(invoice, "cii")).toEqual(["BR-CL-23"]);
	});
});

describe("renderers", () => {
	test("text is escaped and absent terms leave no empty elements", () => {
		const invoice = copy(domesticTwoRates);
		invoice.buyer.name = 'Müller & Söhne <"GmbH">';
		for (const xml of [renderUbl(invoice), renderXRechnung(invoice), renderCii(invoice)]) {
			expect(xml).toContain('Müller &amp; Söhne &lt;"GmbH"&gt;');
			expect(xml).not.toMatch(/<([\w:]+)[^>]*>\s*<\/\1>/);
		}
	});

	test("UBL declares Peppol BIS 3, XRechnung its CIUS, CII the EN 16931 core", () => {
		expect(renderUbl(domesticTwoRates)).toContain(
			"<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>",
		);
		expect(renderXRechnung(domesticTwoRates)).toContain(
			"<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0</cbc:CustomizationID>",
		);
		expect(renderCii(domesticTwoRates)).toContain("<ram:ID>urn:cen.eu:en16931:2017</ram:ID>");
	});

	test("amounts are exact decimals of the currency, without floats", () => {
		expect(renderUbl(domesticTwoRates)).toContain('<cbc:PayableAmount currencyID="EUR">197.41</cbc:PayableAmount>');
		expect(renderUbl(kuwaitiDinar)).toContain('<cbc:PayableAmount currencyID="KWD">28.77</cbc:PayableAmount>');
		expect(renderUbl(kuwaitiDinar)).toContain('<cbc:PriceAmount currencyID="KWD">1.255</cbc:PriceAmount>');
	});
});
