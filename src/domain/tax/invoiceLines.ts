// Invoice lines priced with the tax engine: a line that states its taxes keeps them (computeLine), a
// line with a tax code is taxed by the engine on its net, all of the invoice's engine lines in one
// calculation so that per-invoice rounding rounds each category once. A line whose price includes tax
// is split by the engine's amounts into net and tax adding up to it, whether its taxes are the engine's
// or stated.
import { roundHalfAwayFromZero } from "../decimal";
import {
	type ComputedLine,
	computeLine,
	type InvoiceTotals,
	LineError,
	type LineInput,
	totalsOf,
} from "../invoiceTotals";
import {
	type DecidedItem,
	decideItemTaxes,
	statedComponent,
	type TaxCalculationInput,
	type TaxedItem,
	TaxInputError,
	type TaxRounding,
	taxItems,
} from "./engine";

/**
 * Everything the engine needs of an invoice but its lines: seller, buyer, supply date, rounding, rates.
 * Whether prices include tax is each line's own (`LineInput.pricesIncludeTax`).
 */
export type InvoiceTaxing = Omit<TaxCalculationInput, "items" | "pricesIncludeTax">;

/**
 * A line as the engine taxed it. With tax-inclusive prices the line's net is its gross: the tax
 * comes out of it, from the amount and (in proportion) the discount, so the line still reads
 * amount − discount = net and net + tax = the gross stated.
 */
function taxedLine(line: ComputedLine, taxCode: string | null, taxed: TaxedItem): ComputedLine {
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
 * has no tax setup, which such lines then need). Lines whose prices include tax, engine-taxed or with
 * their taxes stated, are split by the engine's amounts in one go, by the tenant's `rounding`; lines
 * with stated taxes on net prices keep computeLine's per-line rounding. An engine error about an item
 * names the invoice's line.
 */
export function computeTaxedTotals(
	lines: readonly LineInput[],
	taxing: InvoiceTaxing | null,
	rounding: TaxRounding = taxing?.rounding ?? "per_invoice",
): InvoiceTotals {
	const computed = lines.map(computeLine);
	const engineLines = lines.flatMap((line, i) => (line.taxCode ? [i] : []));
	if (engineLines.length > 0 && taxing === null) {
		throw new LineError(
			engineLines[0] as number,
			"tax_code",
			"needs the tenant's tax setup: set tax_origin_country with PATCH /v1/billing/settings, or give the line its taxes",
		);
	}
	// Each line is taxed on its net after discounts: the gross one when its price includes tax.
	const amountOf = (i: number) => (computed[i] as ComputedLine).netAmount;
	const engineDecided = decideEngineLines(lines, engineLines, taxing as InvoiceTaxing, amountOf);
	const decided = new Map(engineLines.map((i, k) => [i, engineDecided[k] as DecidedItem]));
	for (const [i, line] of lines.entries()) {
		if (line.taxCode || !line.pricesIncludeTax || line.taxes.length === 0) continue;
		const components = line.taxes.map((tax) => statedComponent(tax.jurisdiction, tax.rate));
		decided.set(i, { amount: amountOf(i), pricesIncludeTax: true, components });
	}
	if (decided.size === 0) return totalsOf(computed);
	// In the invoice's order: per-invoice rounding gives units left over to the earlier line.
	const priced = [...decided.keys()].sort((a, b) => a - b);
	const taxed = taxItems(
		priced.map((i) => decided.get(i) as DecidedItem),
		rounding,
	);
	for (const [k, i] of priced.entries()) {
		computed[i] = taxedLine(computed[i] as ComputedLine, lines[i]?.taxCode ?? null, taxed[k] as TaxedItem);
	}
	return totalsOf(computed);
}

/** The engine's decision on the `indices` lines, each taxed on `amountOf` (its net, or gross when inclusive). */
function decideEngineLines(
	lines: readonly LineInput[],
	indices: readonly number[],
	taxing: InvoiceTaxing,
	amountOf: (i: number) => number,
): DecidedItem[] {
	if (indices.length === 0) return [];
	try {
		return decideItemTaxes({
			...taxing,
			pricesIncludeTax: false,
			items: indices.map((i) => ({
				amount: amountOf(i),
				taxCode: lines[i]?.taxCode as string,
				supplyType: "services",
				pricesIncludeTax: lines[i]?.pricesIncludeTax ?? false,
			})),
		}).items;
	} catch (error) {
		if (!(error instanceof TaxInputError)) throw error;
		const item = /^items\.(\d+)\.(.+)$/.exec(error.field);
		if (item) throw new LineError(indices[Number(item[1])] as number, item[2] as string, error.message);
		throw error;
	}
}
