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
					pricesIncludeTax: true,
				}),
			],
			taxing(),
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
							pricesIncludeTax,
						}),
					);
					const totals = computeTaxedTotals(lines, taxing({ rounding }));
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

describe("computeTaxedTotals with prices including tax per line", () => {
	const rate = (text: string) => parseDecimal(text, 4) as { units: bigint; scale: number };
	const stated = (unitPrice: number, taxes: [string, string][], extra: Partial<LineInput> = {}): LineInput => ({
		...engineLine(unitPrice),
		taxCode: null,
		taxes: taxes.map(([jurisdiction, r]) => ({ jurisdiction, rate: rate(r) })),
		...extra,
	});

	it("splits a line with stated taxes whose price includes them, next to a net-priced one", () => {
		const totals = computeTaxedTotals(
			[stated(11900, [["DE", "19"]], { pricesIncludeTax: true }), stated(10000, [["DE", "19"]])],
			null,
		);
		expect(totals.lines.map((l) => [l.amount, l.netAmount, l.taxAmount, l.total, l.pricesIncludeTax])).toEqual([
			[10000, 10000, 1900, 11900, true],
			[10000, 10000, 1900, 11900, false],
		]);
		expect(totals.lines[0]).toMatchObject({ unitPrice: 11900, taxCode: null, taxCategory: "S" });
		expect(totals.taxLines).toMatchObject([{ jurisdiction: "DE", rate: "19", taxableAmount: 20000, amount: 3800 }]);
	});

	it("stacks stated taxes: net + GST + PST is the price stated", () => {
		const [line] = computeTaxedTotals(
			[
				stated(
					11200,
					[
						["CA", "5"],
						["CA-BC", "7"],
					],
					{ pricesIncludeTax: true },
				),
			],
			null,
		).lines;
		expect(line).toMatchObject({ netAmount: 10000, taxAmount: 1200, total: 11200 });
		expect(line?.taxes.map((t) => t.amount)).toEqual([500, 700]);
	});

	it("per invoice, splits the summed gross of inclusive lines with the same taxes once, stated or engine's", () => {
		// 1.04 gross at 19 %: alone 0.87 + 0.17; three together 3.12 = 2.62 + 0.50, not 0.51.
		const lines = [
			stated(104, [["DE", "19"]], { pricesIncludeTax: true }),
			engineLine(104, "standard", { pricesIncludeTax: true }),
			engineLine(104, "standard", { pricesIncludeTax: true }),
		];
		const perInvoice = computeTaxedTotals(lines, taxing());
		expect(perInvoice.lines.map((l) => l.taxAmount)).toEqual([17, 17, 16]);
		expect(perInvoice.taxLines).toMatchObject([{ jurisdiction: "DE", rate: "19", taxableAmount: 262, amount: 50 }]);
		expect(perInvoice.lines.map((l) => l.total)).toEqual([104, 104, 104]);
		const perLine = computeTaxedTotals(lines, taxing({ rounding: "per_line" }));
		expect(perLine.lines.map((l) => l.taxAmount)).toEqual([17, 17, 17]);
		expect(perLine.lines.map((l) => l.total)).toEqual([104, 104, 104]);
	});

	it("rounds stated inclusive lines by the rounding given when the tenant has no tax setup", () => {
		const lines = [104, 104, 104].map((price) => stated(price, [["DE", "19"]], { pricesIncludeTax: true }));
		expect(computeTaxedTotals(lines, null, "per_invoice").taxTotal).toBe(50);
		expect(computeTaxedTotals(lines, null, "per_line").taxTotal).toBe(51);
	});

	it("leaves an inclusive line without taxes as it is", () => {
		const [line] = computeTaxedTotals([stated(500, [], { pricesIncludeTax: true })], taxing()).lines;
		expect(line).toMatchObject({ amount: 500, netAmount: 500, taxAmount: 0, total: 500, pricesIncludeTax: true });
	});

	for (const exponent of [0, 2, 3]) {
		it(`mixed lines: Σ category taxes = tax_total and inclusive lines keep their gross (exponent ${exponent})`, () => {
			const statedRates = fc.constantFrom<[string, string][]>(
				[["DE", "19"]],
				[["DE", "7"]],
				[["DE", "0"]],
				[
					["CA", "5"],
					["CA-QC", "9.975"],
				],
			);
			const drawnLine = fc.record({
				price: fc.integer({ min: 0, max: 10 ** (5 + exponent) }),
				quantity: fc.integer({ min: 1, max: 1000 }),
				quantityScale: fc.constantFrom(0, 1, 3),
				discount: fc.integer({ min: 0, max: 100 }),
				fixedDiscount: fc.integer({ min: 0, max: 10 ** exponent }),
				inclusive: fc.boolean(),
				taxes: fc.oneof(
					fc.constantFrom("standard", "reduced", "zero", "exempt").map((code) => ({ code })),
					statedRates.map((taxes) => ({ taxes })),
				),
			});
			fc.assert(
				fc.property(
					fc.array(drawnLine, { minLength: 1, maxLength: 12 }),
					fc.constantFrom("per_line" as const, "per_invoice" as const),
					fc.constantFrom(buyerIn("DE"), buyerIn("FR"), buyerIn("FR", "FR40303265045")),
					(drawn, rounding, buyer) => {
						const lines = drawn.map((d): LineInput => {
							const quantity = { units: BigInt(d.quantity), scale: d.quantityScale };
							const amount = Math.round((d.quantity / 10 ** d.quantityScale) * d.price);
							const discounts: LineInput["discounts"] = [
								{ type: "percent", percent: { units: BigInt(d.discount), scale: 1 } },
								{ type: "amount", amount: Math.min(d.fixedDiscount, Math.floor(amount / 2)) },
							];
							const extra = { quantity, discounts, pricesIncludeTax: d.inclusive };
							return "code" in d.taxes
								? engineLine(d.price, d.taxes.code, extra)
								: stated(d.price, d.taxes.taxes, extra);
						});
						const totals = computeTaxedTotals(lines, taxing({ rounding, buyer }));
						const statedGross = computeTaxedTotals(
							lines.map((line) => ({ ...line, taxes: [], taxCode: null, pricesIncludeTax: false })),
							null,
						).lines.map((line) => line.total);
						for (const [i, line] of totals.lines.entries()) {
							expect(line.netAmount).toBe(line.amount - line.discountAmount);
							expect(line.total).toBe(line.netAmount + line.taxAmount);
							expect(line.netAmount).toBeGreaterThanOrEqual(0);
							expect(line.discountAmount).toBeGreaterThanOrEqual(0);
							expect(line.pricesIncludeTax).toBe(drawn[i]?.inclusive);
							if (line.pricesIncludeTax) expect(line.total).toBe(statedGross[i]);
							else expect(line.netAmount).toBe(statedGross[i]);
						}
						expect(totals.taxLines.reduce((s, t) => s + t.amount, 0)).toBe(totals.taxTotal);
						expect(totals.total).toBe(totals.subtotal - totals.discountTotal + totals.taxTotal);
						expect(summarizeTaxes(totals.lines)).toEqual(totals.taxLines);
					},
				),
				{ numRuns: 300 },
			);
		});
	}
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
