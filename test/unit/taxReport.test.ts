import { describe, expect, it } from "vitest";
import { categoryOfRate } from "../../src/domain/tax/categories";
import {
	buildTaxReport,
	creditNoteBuckets,
	ossReturn,
	type ReportCreditNote,
	type ReportInvoice,
	taxPayableTotals,
	taxReportCsv,
} from "../../src/domain/tax/report";

const invoice = (id: string, lines: ReportInvoice["lines"], extra: Partial<ReportInvoice> = {}): ReportInvoice => ({
	id,
	currency: "EUR",
	status: "issued",
	journalEntryId: `je_${id}`,
	lines,
	...extra,
});

const note = (id: string, invoiceId: string, extra: Partial<ReportCreditNote>): ReportCreditNote => ({
	id,
	invoiceId,
	currency: "EUR",
	status: "issued",
	journalEntryId: `je_${id}`,
	netAmount: 0,
	taxLines: [],
	...extra,
});

const mixed = invoice("inv_1", [
	{ netAmount: 10000, taxes: [{ jurisdiction: "DE", rate: "19", amount: 1900 }] },
	{ netAmount: 5000, taxes: [{ jurisdiction: "DE", rate: "7", amount: 350 }] },
	{ netAmount: 3000, taxes: [] },
]);

describe("categoryOfRate", () => {
	it("is S for a charged rate and Z for zero, however written", () => {
		expect(["19", "0.5", "7.25"].map(categoryOfRate)).toMatchObject(["S", "S", "S"]);
		expect(["0", "0.0", "0.00"].map(categoryOfRate)).toMatchObject(["Z", "Z", "Z"]);
	});
});

describe("creditNoteBuckets", () => {
	it("shares a jurisdiction's credited tax over its rates by tax charged, and the net by base, exactly", () => {
		const parts = creditNoteBuckets(
			note("cn_1", "inv_1", { netAmount: 1801, taxLines: [{ jurisdiction: "DE", amount: 227 }] }),
			mixed,
		);
		expect(parts.reduce((s, p) => s + p.tax, 0)).toBe(227);
		// 15000 of the invoice's 18000 net is taxed in DE: 1801 × 15/18 = 1500.83 → 1501 by largest remainder.
		expect(parts.reduce((s, p) => s + p.base, 0)).toBe(1501);
		expect(parts).toMatchObject([
			{ jurisdiction: "DE", rate: "19", base: 1001, tax: 192 },
			{ jurisdiction: "DE", rate: "7", base: 500, tax: 35 },
		]);
	});

	it("takes a note's own rows where it states category, rate and base (notes credit lines in their category)", () => {
		const parts = creditNoteBuckets(
			note("cn_3", "inv_1", {
				netAmount: 1500,
				taxLines: [
					{ jurisdiction: "DE", category: "S", rate: "19", taxable_amount: 1000, amount: 190 },
					{ jurisdiction: "DE", category: "AE", rate: "0", taxable_amount: 500, amount: 0 },
				],
			}),
			mixed,
		);
		expect(parts).toEqual([
			{ jurisdiction: "DE", category: "S", rate: "19", base: 1000, tax: 190 },
			{ jurisdiction: "DE", category: "AE", rate: "0", base: 500, tax: 0 },
		]);
	});

	it("keeps stacked jurisdictions apart and falls back to bases when every rate is zero", () => {
		const stacked = invoice("inv_2", [
			{
				netAmount: 10000,
				taxes: [
					{ jurisdiction: "CA", rate: "5", amount: 500 },
					{ jurisdiction: "CA-BC", rate: "7", amount: 700 },
				],
			},
		]);
		const parts = creditNoteBuckets(
			note("cn_2", "inv_2", {
				netAmount: 1000,
				taxLines: [
					{ jurisdiction: "CA", amount: 50 },
					{ jurisdiction: "CA-BC", amount: 70 },
				],
			}),
			stacked,
		);
		expect(parts).toMatchObject([
			{ jurisdiction: "CA", rate: "5", base: 1000, tax: 50 },
			{ jurisdiction: "CA-BC", rate: "7", base: 1000, tax: 70 },
		]);
		const zero = invoice("inv_3", [{ netAmount: 4000, taxes: [{ jurisdiction: "US", rate: "0", amount: 0 }] }]);
		expect(creditNoteBuckets(note("cn_3", "inv_3", { netAmount: 400 }), zero)).toMatchObject([
			{ jurisdiction: "US", rate: "0", base: 400, tax: 0 },
		]);
	});
});

describe("buildTaxReport", () => {
	const voided = invoice("inv_v", [{ netAmount: 1000, taxes: [{ jurisdiction: "DE", rate: "19", amount: 190 }] }], {
		status: "voided",
	});
	const credit = note("cn_1", "inv_1", { netAmount: 1500, taxLines: [{ jurisdiction: "DE", amount: 225 }] });
	const invoices = new Map([mixed, voided].map((i) => [i.id, i]));
	const notes = new Map([[credit.id, credit]]);

	// The credited net of 1500 covers the untaxed line too: 15000 of 18000 is taxed in DE, so 1250 is.
	it("charges on issue, takes back on void, reduces by credit notes, and skips entries that move no tax", () => {
		const rows = buildTaxReport(
			[
				{ id: "je_inv_1", sourceType: "invoice", sourceId: "inv_1" },
				{ id: "je_writeoff", sourceType: "invoice", sourceId: "inv_1" },
				{ id: "je_inv_v", sourceType: "invoice", sourceId: "inv_v" },
				{ id: "je_void", sourceType: "invoice", sourceId: "inv_v" },
				{ id: "je_cn_1", sourceType: "credit_note", sourceId: "cn_1" },
				{ id: "je_apply", sourceType: "credit_note", sourceId: "cn_1" },
			],
			invoices,
			notes,
		);
		expect(rows).toMatchObject([
			{
				currency: "EUR",
				jurisdiction: "DE",
				category: "S",
				rate: "7",
				taxable_base: 5000,
				tax_charged: 350,
				credit_note_base: 417,
				credit_note_tax: 35,
				net_taxable_base: 4583,
				net_tax: 315,
			},
			{
				currency: "EUR",
				jurisdiction: "DE",
				category: "S",
				rate: "19",
				taxable_base: 10000,
				tax_charged: 1900,
				credit_note_base: 833,
				credit_note_tax: 190,
				net_taxable_base: 9167,
				net_tax: 1710,
			},
		]);
	});

	it("a void in the period without its issue is a negative charge; a voided credit note gives back its reduction", () => {
		const voidedNote = { ...credit, status: "voided" };
		const rows = buildTaxReport(
			[
				{ id: "je_void", sourceType: "invoice", sourceId: "inv_v" },
				{ id: "je_cn_void", sourceType: "credit_note", sourceId: "cn_1" },
			],
			invoices,
			new Map([[credit.id, voidedNote]]),
		);
		expect(rows.map((r) => [r.rate, r.tax_charged, r.credit_note_tax, r.net_tax])).toMatchObject([
			["7", 0, -35, 35],
			["19", -190, -190, 0],
		]);
	});

	it("filters by jurisdiction and ignores entries whose documents are gone", () => {
		const rows = buildTaxReport(
			[
				{ id: "je_inv_1", sourceType: "invoice", sourceId: "inv_1" },
				{ id: "je_x", sourceType: "credit_note", sourceId: "cn_missing" },
			],
			invoices,
			notes,
			"FR",
		);
		expect(rows).toMatchObject([]);
	});
});

describe("ossReturn and CSV", () => {
	const row = (jurisdiction: string, rate: string, base: number, tax: number) => ({
		currency: "EUR",
		jurisdiction,
		category: categoryOfRate(rate),
		rate,
		taxable_base: base,
		tax_charged: tax,
		credit_note_base: 0,
		credit_note_tax: 0,
		net_taxable_base: base,
		net_tax: tax,
	});

	it("lists other member states of consumption only, subdivisions under their state", () => {
		const rows = [
			row("DE", "19", 100, 19),
			row("FR", "20", 1000, 200),
			row("ES-CN", "0", 50, 0),
			row("US-NY", "4", 10, 0),
			row("ES", "21", 100, 21),
		];
		expect(ossReturn(rows, "DE")).toMatchObject([
			{ member_state: "ES", currency: "EUR", rate_type: "zero", rate: "0", taxable_amount: 50, vat_amount: 0 },
			{ member_state: "ES", currency: "EUR", rate_type: "standard", rate: "21", taxable_amount: 100, vat_amount: 21 },
			{ member_state: "FR", currency: "EUR", rate_type: "standard", rate: "20", taxable_amount: 1000, vat_amount: 200 },
		]);
		expect(ossReturn(rows, null).map((l) => l.member_state)).toMatchObject(["DE", "ES", "ES", "FR"]);
	});

	it("writes a header and one line per row", () => {
		expect(taxReportCsv([row("FR", "20", 1000, 200)])).toBe(
			"currency,jurisdiction,category,rate,taxable_base,tax_charged,credit_note_base,credit_note_tax,net_taxable_base,net_tax\r\nEUR,FR,S,20,1000,200,0,0,1000,200\r\n",
		);
	});
});

describe("taxPayableTotals", () => {
	it("adds the period's adjustments to each jurisdiction's net tax, also where no invoice was taxed", () => {
		const rows = buildTaxReport(
			[{ id: "je_inv_1", sourceType: "invoice", sourceId: "inv_1" }],
			new Map([[mixed.id, mixed]]),
			new Map(),
		);
		const adjustments = [
			{ currency: "EUR", jurisdiction: "DE", direction: "increase" as const, amount: 100 },
			{ currency: "EUR", jurisdiction: "DE", direction: "decrease" as const, amount: 30 },
			{ currency: "EUR", jurisdiction: "FR", direction: "decrease" as const, amount: 5 },
		];
		expect(taxPayableTotals(rows, adjustments)).toMatchObject([
			{ currency: "EUR", jurisdiction: "DE", net_tax: 2250, adjustments: 70, tax_payable_movement: 2320 },
			{ currency: "EUR", jurisdiction: "FR", net_tax: 0, adjustments: -5, tax_payable_movement: -5 },
		]);
		expect(taxPayableTotals(rows, adjustments, "FR")).toMatchObject([
			{ currency: "EUR", jurisdiction: "FR", net_tax: 0, adjustments: -5, tax_payable_movement: -5 },
		]);
	});
});
