// Invoice lines priced with the tax engine: a line that states its taxes keeps them (computeLine), a
// line with a tax code is taxed by the engine on its net, all of the invoice's engine lines in one
// calculation so that per-invoice rounding rounds each category once.
import { roundHalfAwayFromZero } from "../decimal";
import {
	type ComputedLine,
	computeLine,
	type InvoiceTotals,
	LineError,
	type LineInput,
	totalsOf,
} from "../invoiceTotals";
import { calculateTax, type TaxCalculationInput, type TaxedItem, TaxInputError } from "./engine";

/** Everything the engine needs of an invoice but its lines: seller, buyer, supply date, rounding, rates. */
export type InvoiceTaxing = Omit<TaxCalculationInput, "items">;

/**
 * A line as the engine taxed it. With tax-inclusive prices the line's net is its gross: the tax
 * comes out of it, from the amount and (in proportion) the discount, so the line still reads
 * amount − discount = net and net + tax = the gross stated.
 */
function taxedLine(line: ComputedLine, taxCode: string, taxed: TaxedItem): ComputedLine {
	let { amount, discountAmount } = line;
	if (taxed.netAmount !== line.netAmount) {
		const tax = BigInt(taxed.taxAmount);
		const gross = BigInt(line.netAmount);
		const inDiscount = gross === 0n ? 0n : roundHalfAwayFromZero(tax * BigInt(discountAmount), gross);
		amount -= Number(tax + inDiscount);
		discountAmount -= Number(inDiscount);
	}
	const [first] = taxed.taxes;
	return {
		...line,
		amount,
		discountAmount,
		netAmount: taxed.netAmount,
		taxes: taxed.taxes.map((tax) => ({
			jurisdiction: tax.jurisdiction,
			rate: tax.rate,
			amount: tax.amount,
			category: tax.category,
		})),
		taxAmount: taxed.taxAmount,
		total: taxed.grossAmount,
		taxCode,
		taxCategory: taxed.category,
		taxExemptionReason: first?.exemptionReason ?? null,
		taxExemptionReasonCode: first?.exemptionReasonCode ?? null,
	};
}

/**
 * The invoice's totals with its `taxCode` lines taxed by the engine (`taxing`; null when the tenant
 * has no tax setup, which such lines then need). An engine error about an item names the invoice's line.
 */
export function computeTaxedTotals(lines: readonly LineInput[], taxing: InvoiceTaxing | null): InvoiceTotals {
	const computed = lines.map(computeLine);
	const engineLines = lines.flatMap((line, i) => (line.taxCode ? [i] : []));
	if (engineLines.length === 0) return totalsOf(computed);
	if (taxing === null) {
		throw new LineError(
			engineLines[0] as number,
			"tax_code",
			"needs the tenant's tax setup: set tax_origin_country with PATCH /v1/billing/settings, or give the line its taxes",
		);
	}
	const codeOf = (i: number) => lines[i]?.taxCode as string;
	let taxed: TaxedItem[];
	try {
		taxed = calculateTax({
			...taxing,
			items: engineLines.map((i) => ({
				amount: (computed[i] as ComputedLine).netAmount,
				taxCode: codeOf(i),
				supplyType: "services",
			})),
		}).items;
	} catch (error) {
		if (!(error instanceof TaxInputError)) throw error;
		const item = /^items\.(\d+)\.(.+)$/.exec(error.field);
		if (item) throw new LineError(engineLines[Number(item[1])] as number, item[2] as string, error.message);
		throw error;
	}
	for (const [k, i] of engineLines.entries()) {
		computed[i] = taxedLine(computed[i] as ComputedLine, codeOf(i), taxed[k] as TaxedItem);
	}
	return totalsOf(computed);
}
