import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDecimal } from "../../src/domain/decimal";
import { LineError, type LineInput, legalNotes, summarizeTaxes } from "../../src/domain/invoiceTotals";
import { buyerProfileProblem } from "../../src/domain/tax/buyer";
import { computeTaxedTotals, type InvoiceTaxing } from "../../src/domain/tax/invoiceLines";
import { BUILT_IN_RECORDS } from "../../src/domain/tax/rates";

const one = { units: 1n, scale: 0 };
const engineLine = (unitPrice: number, taxCode = "standard", extra: Partial<LineInput> = {}): LineInput => ({
	description: "Item",
	sku: null,
	quantity: one,
	unitPrice,
	discounts: [],
	taxes: [],
	taxCode,
	...extra,
});

const germanSeller = {
	originCountry: "DE",
	originRegion: null,
	registrations: [],
	ossRegistered: true,
	euDistanceSalesAboveThreshold: false,
};
const buyerIn = (country: string, taxId: string | null = null) => ({
	country,
	region: null,
	postalCode: null,
	taxId,
	taxStatus: "taxable" as const,
	exemptionReason: null,
	exemptionReasonCode: null,
});
const taxing = (overrides: Partial<InvoiceTaxing> = {}): InvoiceTaxing => ({
	seller: germanSeller,
	buyer: buyerIn("DE"),
	supplyDate: "2026-01-15",
	pricesIncludeTax: false,
	rounding: "per_invoice",
	tenantRates: [],
	builtInRates: BUILT_IN_RECORDS,
	...overrides,
});

describe("computeTaxedTotals", () => {
	it("rounds each category once per invoice and shares the tax over the lines exactly", () => {
		const totals = computeTaxedTotals([engineLine(1055), engineLine(1055, "reduced"), engineLine(1055)], taxing());
		expect(totals.lines.map((l) => l.taxAmount)).toEqual([201, 74, 200]);
		expect(totals.taxTotal).toBe(475);
		expect(totals.taxLines).toEqual([
			{
				jurisdiction: "DE",
				category: "S",
				rate: "19",
				taxableAmount: 2110,
				amount: 401,
				exemptionReason: null,
				exemptionReasonCode: null,
			},
			{
				jurisdiction: "DE",
				category: "S",
				rate: "7",
				taxableAmount: 1055,
				amount: 74,
				exemptionReason: null,
				exemptionReasonCode: null,
			},
		]);
		const perLine = computeTaxedTotals(
			[engineLine(1055), engineLine(1055, "reduced"), engineLine(1055)],
			taxing({ rounding: "per_line" }),
		);
		expect(perLine.taxTotal).toBe(474);
	});

	it("reverse charges a business in another member state: AE, no tax, the note to print", () => {
		const totals = computeTaxedTotals([engineLine(100000)], taxing({ buyer: buyerIn("FR", "FR40303265045") }));
		expect(totals.lines[0]).toMatchObject({
			taxAmount: 0,
			total: 100000,
			taxCode: "standard",
			taxCategory: "AE",
			taxExemptionReason: "Reverse charge",
			taxExemptionReasonCode: "VATEX-EU-AE",
			taxes: [{ jurisdiction: "DE", rate: "0", amount: 0, category: "AE" }],
		});
		expect(legalNotes(totals.taxLines)).toEqual([{ category: "AE", text: "Reverse charge", code: "VATEX-EU-AE" }]);
	});

	it("leaves lines with explicit taxes as computeLine prices them, next to engine lines", () => {
		const explicit: LineInput = {
			...engineLine(1000, "standard"),
			taxCode: null,
			taxes: [{ jurisdiction: "XX", rate: parseDecimal("5", 4) as { units: bigint; scale: number } }],
		};
		const totals = computeTaxedTotals([explicit, engineLine(1000)], taxing());
		expect(totals.lines[0]).toMatchObject({ taxAmount: 50, taxCategory: "S", taxCode: null });
		expect(totals.lines[1]).toMatchObject({ taxAmount: 190, taxCategory: "S", taxCode: "standard" });
		expect(totals.taxTotal).toBe(240);
	});

	it("takes tax-inclusive prices apart: the tax comes out of the amount and, in proportion, the discount", () => {
		const totals = computeTaxedTotals(
			[
				engineLine(11900, "standard", {
					quantity: { units: 2n, scale: 0 },
					discounts: [{ type: "amount", amount: 2380 }],
				}),
			],
			taxing({ pricesIncludeTax: true }),
		);
		expect(totals.lines[0]).toMatchObject({
			amount: 20000,
			discountAmount: 2000,
			netAmount: 18000,
			taxAmount: 3420,
			total: 21420,
		});
	});

	it("names the invoice's line when the engine refuses an item, and needs a tax setup for engine lines", () => {
		const lines = [engineLine(100), engineLine(100, "nonsense")];
		expect(() => computeTaxedTotals(lines, taxing())).toThrowError(
			expect.objectContaining({ index: 1, field: "tax_code" }),
		);
		expect(() => computeTaxedTotals([engineLine(100)], null)).toThrow(LineError);
		const noEngine = computeTaxedTotals([{ ...engineLine(100), taxCode: null }], null);
		expect(noEngine.lines[0]).toMatchObject({ taxAmount: 0, taxCategory: null });
	});

	it("keeps the chain exact for any lines, either rounding, prices with or without tax", () => {
		const codes = fc.constantFrom("standard", "reduced", "zero", "exempt");
		fc.assert(
			fc.property(
				fc.array(
					fc.record({
						price: fc.integer({ min: 0, max: 10_000_000 }),
						quantity: fc.integer({ min: 1, max: 20 }),
						discount: fc.integer({ min: 0, max: 100 }),
						code: codes,
					}),
					{ minLength: 1, maxLength: 8 },
				),
				fc.constantFrom("per_line", "per_invoice") as fc.Arbitrary<"per_line" | "per_invoice">,
				fc.boolean(),
				(drawn, rounding, pricesIncludeTax) => {
					const lines = drawn.map((d) =>
						engineLine(d.price, d.code, {
							quantity: { units: BigInt(d.quantity), scale: 0 },
							discounts: [{ type: "percent", percent: { units: BigInt(d.discount), scale: 0 } }],
						}),
					);
					const totals = computeTaxedTotals(lines, taxing({ rounding, pricesIncludeTax }));
					for (const line of totals.lines) {
						expect(line.netAmount).toBe(line.amount - line.discountAmount);
						expect(line.total).toBe(line.netAmount + line.taxAmount);
						expect(line.discountAmount).toBeGreaterThanOrEqual(0);
						expect(line.netAmount).toBeGreaterThanOrEqual(0);
					}
					expect(totals.total).toBe(totals.subtotal - totals.discountTotal + totals.taxTotal);
					expect(totals.taxLines.reduce((s, t) => s + t.amount, 0)).toBe(totals.taxTotal);
					expect(summarizeTaxes(totals.lines)).toEqual(totals.taxLines);
				},
			),
		);
	});
});

describe("buyerProfileProblem", () => {
	const profile = {
		country: "FR",
		taxId: null,
		taxStatus: "taxable" as const,
		exemptionReason: null,
		exemptionReasonCode: null,
	};
	it("accepts a taxable buyer with nothing else", () => {
		expect(buyerProfileProblem(profile)).toBeNull();
	});
	it("needs a valid tax id to reverse charge", () => {
		expect(buyerProfileProblem({ ...profile, taxStatus: "reverse_charge" })).toEqual({
			field: "tax_id",
			message: "is required when tax_status is reverse_charge",
		});
		expect(buyerProfileProblem({ ...profile, taxStatus: "reverse_charge", taxId: "FR123" })?.field).toBe("tax_id");
		expect(buyerProfileProblem({ ...profile, taxStatus: "reverse_charge", taxId: "FR40303265045" })).toBeNull();
	});
	it("needs a reason to be exempt, and a VATEX code where one is given", () => {
		expect(buyerProfileProblem({ ...profile, taxStatus: "exempt" })?.field).toBe("tax_exemption_reason");
		expect(
			buyerProfileProblem({ ...profile, taxStatus: "exempt", exemptionReason: "Charity", exemptionReasonCode: "X" })
				?.field,
		).toBe("tax_exemption_reason_code");
	});
});
