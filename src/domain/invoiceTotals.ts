// The invoice totals chain, in integer minor units. Pure: the same input always gives the same
// invoice, so previews cost nothing and properties can be tested exhaustively.
//
// Rounding rule (the only one): each line is rounded exactly once per computed amount, half away
// from zero (see decimal.ts):
//   line amount    = round(quantity × unit_price)
//   line discount  = round(amount × Σ percents / 100) + Σ fixed amounts
//                    (percents are added before the one rounding, so 50 % + 50 % is the whole amount)
//   line net       = amount − discount
//   line tax       = for each tax: round(net × rate / 100)
//   line total     = net + Σ taxes
// Invoice figures are sums of the rounded line figures, so they always add up:
//   subtotal − discount_total + tax_total = total = Σ line totals, and Σ tax lines = tax_total.
import { type Decimal, formatDecimal, pow10, roundHalfAwayFromZero, sumDecimals, toSafeNumber } from "./decimal";
import { categoryOfRate, type TaxCategory } from "./tax/categories";

export const QUANTITY_SCALE = 6;
export const RATE_SCALE = 4;

export type DiscountInput = { type: "percent"; percent: Decimal } | { type: "amount"; amount: number };

export type TaxInput = { jurisdiction: string; rate: Decimal };

export type LineInput = {
	description: string;
	sku: string | null;
	quantity: Decimal;
	unitPrice: number;
	discounts: DiscountInput[];
	taxes: TaxInput[];
	/** Set: the tax engine taxes the line by this code (see tax/invoiceLines.ts) and `taxes` is empty. */
	taxCode?: string | null;
	/** Its unit price and fixed discounts include its taxes: tax/invoiceLines.ts splits them out. */
	pricesIncludeTax?: boolean;
};

export type ComputedTax = { jurisdiction: string; rate: string; amount: number; category: TaxCategory };

export type ComputedLine = {
	description: string;
	sku: string | null;
	quantity: string;
	unitPrice: number;
	amount: number;
	discounts: ({ type: "percent"; percent: string } | { type: "amount"; amount: number })[];
	discountAmount: number;
	netAmount: number;
	taxes: ComputedTax[];
	taxAmount: number;
	total: number;
	taxCode: string | null;
	/** EN 16931 BT-151 of the line: its first tax's category; null when it has no tax at all. */
	taxCategory: TaxCategory | null;
	taxExemptionReason: string | null;
	taxExemptionReasonCode: string | null;
	/** As stated: `unitPrice` (and fixed discounts) include the taxes; the amounts here are net. */
	pricesIncludeTax: boolean;
};

export type TaxLine = {
	jurisdiction: string;
	category: TaxCategory;
	rate: string;
	taxableAmount: number;
	amount: number;
	exemptionReason: string | null;
	exemptionReasonCode: string | null;
};

export type InvoiceTotals = {
	lines: ComputedLine[];
	taxLines: TaxLine[];
	subtotal: number;
	discountTotal: number;
	taxTotal: number;
	total: number;
};

/** A line the chain cannot price: the index and field are reported to the client. */
export class LineError extends Error {
	constructor(
		readonly index: number,
		readonly field: string,
		message: string,
	) {
		super(message);
	}
}

const HUNDRED = 100n;

function percentOf(base: bigint, rate: Decimal): bigint {
	return roundHalfAwayFromZero(base * rate.units, HUNDRED * pow10(rate.scale));
}

export function computeLine(line: LineInput, index: number): ComputedLine {
	const amount = roundHalfAwayFromZero(line.quantity.units * BigInt(line.unitPrice), pow10(line.quantity.scale));
	const percents = line.discounts.flatMap((d) => (d.type === "percent" ? [d.percent] : []));
	const fixed = line.discounts.reduce((sum, d) => (d.type === "amount" ? sum + BigInt(d.amount) : sum), 0n);
	const discount = (percents.length ? percentOf(amount, sumDecimals(percents)) : 0n) + fixed;
	if (discount > amount) {
		throw new LineError(index, "discounts", "discounts exceed the line amount");
	}
	const net = amount - discount;
	const taxes = line.taxes.map((tax) => ({
		jurisdiction: tax.jurisdiction,
		rate: formatDecimal(tax.rate),
		amount: percentOf(net, tax.rate),
		category: tax.rate.units === 0n ? ("Z" as const) : ("S" as const),
	}));
	const taxAmount = taxes.reduce((sum, t) => sum + t.amount, 0n);
	return {
		description: line.description,
		sku: line.sku,
		quantity: formatDecimal(line.quantity),
		unitPrice: line.unitPrice,
		amount: toSafeNumber(amount),
		discounts: line.discounts.map((d) =>
			d.type === "percent"
				? { type: "percent", percent: formatDecimal(d.percent) }
				: { type: "amount", amount: d.amount },
		),
		discountAmount: toSafeNumber(discount),
		netAmount: toSafeNumber(net),
		taxes: taxes.map((t) => ({ ...t, amount: toSafeNumber(t.amount) })),
		taxAmount: toSafeNumber(taxAmount),
		total: toSafeNumber(net + taxAmount),
		taxCode: null,
		taxCategory: taxes[0]?.category ?? null,
		taxExemptionReason: null,
		taxExemptionReasonCode: null,
		pricesIncludeTax: line.pricesIncludeTax ?? false,
	};
}

/** Tax amounts summed per jurisdiction, in first-seen order: what the ledger posts and a credit splits by. */
export function taxesByJurisdiction(lines: readonly { jurisdiction: string; amount: number }[]) {
	const byJurisdiction = new Map<string, number>();
	for (const line of lines)
		byJurisdiction.set(line.jurisdiction, (byJurisdiction.get(line.jurisdiction) ?? 0) + line.amount);
	return [...byJurisdiction].map(([jurisdiction, amount]) => ({ jurisdiction, amount }));
}

/** A line as `summarizeTaxes` reads it; lines stored before taxes carried categories lack them. */
export type SummarizedLine = {
	netAmount: number;
	taxes: readonly { jurisdiction: string; rate: string; amount: number; category?: TaxCategory }[];
	taxExemptionReason?: string | null;
	taxExemptionReasonCode?: string | null;
};

/** Tax lines per (jurisdiction, category, rate), in first-seen order, with the exemption they print. */
export function summarizeTaxes(lines: readonly SummarizedLine[]): TaxLine[] {
	const byKey = new Map<string, TaxLine>();
	for (const line of lines) {
		for (const tax of line.taxes) {
			const category = tax.category ?? categoryOfRate(tax.rate);
			const key = `${tax.jurisdiction}\u0000${category}\u0000${tax.rate}`;
			const entry = byKey.get(key) ?? {
				jurisdiction: tax.jurisdiction,
				category,
				rate: tax.rate,
				taxableAmount: 0,
				amount: 0,
				exemptionReason: line.taxExemptionReason ?? null,
				exemptionReasonCode: line.taxExemptionReasonCode ?? null,
			};
			entry.taxableAmount += line.netAmount;
			entry.amount += tax.amount;
			byKey.set(key, entry);
		}
	}
	return [...byKey.values()];
}

/** The notes a document prints for its untaxed categories (Reverse charge, Export outside the EU, …). */
export function legalNotes(taxLines: readonly Pick<TaxLine, "category" | "exemptionReason" | "exemptionReasonCode">[]) {
	const notes = new Map<string, { category: TaxCategory; text: string; code: string | null }>();
	for (const line of taxLines) {
		if (line.exemptionReason === null) continue;
		const key = `${line.category}\u0000${line.exemptionReason}`;
		if (!notes.has(key))
			notes.set(key, { category: line.category, text: line.exemptionReason, code: line.exemptionReasonCode });
	}
	return [...notes.values()];
}

export const computeTotals = (lines: readonly LineInput[]): InvoiceTotals => totalsOf(lines.map(computeLine));

/** An invoice's figures from its computed lines: sums of them, so they always add up. */
export function totalsOf(computed: ComputedLine[]): InvoiceTotals {
	const sum = (pick: (line: ComputedLine) => number) =>
		toSafeNumber(computed.reduce((s, l) => s + BigInt(pick(l)), 0n));
	return {
		lines: computed,
		taxLines: summarizeTaxes(computed),
		subtotal: sum((l) => l.amount),
		discountTotal: sum((l) => l.discountAmount),
		taxTotal: sum((l) => l.taxAmount),
		total: sum((l) => l.total),
	};
}

export type Settlement = { total: number; amountPaid: number; amountCredited: number; amountWrittenOff: number };

/** What is still owed. Never negative: the database refuses a settlement that would make it so. */
export const balanceOf = (s: Settlement) => s.total - s.amountPaid - s.amountCredited - s.amountWrittenOff;
