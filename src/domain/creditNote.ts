import type { CreditNoteLine, CreditNoteTaxLine } from "../db/schema";
import { roundHalfAwayFromZero } from "./decimal";
import { categoryOfRate, type TaxCategory } from "./tax/categories";
import { allocate } from "./tax/rounding";

type LineTax = { jurisdiction: string; rate: string; amount: number; category?: TaxCategory };

/** An invoice line as a credit reads it: its gross total, its taxes and the category it was taxed in. */
export type CreditableLine = {
	id: string;
	total: number;
	taxes: readonly LineTax[];
	taxCategory?: TaxCategory | null;
	taxExemptionReason?: string | null;
	taxExemptionReasonCode?: string | null;
};

/** What a credit note asks for: a gross amount of the whole invoice, or gross amounts of some of its lines. */
export type CreditRequest = { amount: number } | { lines: readonly { line_id: string; amount: number }[] };

export type CreditSplit =
	| { ok: true; amount: number; net: number; taxLines: Required<CreditNoteTaxLine>[]; lines: CreditNoteLine[] }
	| { ok: false; field: string; message: string };

/** Part of a line's gross total split as the line was: each tax in proportion to its share of the total. */
function creditedLine(line: CreditableLine, gross: number): { credit: CreditNoteLine; taxes: Required<LineTax>[] } {
	const taxes = line.taxes.map(
		(tax): Required<LineTax> => ({
			jurisdiction: tax.jurisdiction,
			rate: tax.rate,
			category: tax.category ?? categoryOfRate(tax.rate),
			amount:
				line.total === 0 ? 0 : Number(roundHalfAwayFromZero(BigInt(gross) * BigInt(tax.amount), BigInt(line.total))),
		}),
	);
	const taxAmount = taxes.reduce((sum, t) => sum + t.amount, 0);
	return {
		credit: {
			line_id: line.id,
			amount: gross,
			net_amount: gross - taxAmount,
			tax_amount: taxAmount,
			tax_category: line.taxCategory ?? taxes[0]?.category ?? null,
			tax_exemption_reason: line.taxExemptionReason ?? null,
			tax_exemption_reason_code: line.taxExemptionReasonCode ?? null,
		},
		taxes,
	};
}

/**
 * How a credit splits into net and tax: each credited line keeps the category and rates of the invoice
 * line it credits. A gross amount of the whole invoice is shared over its lines by their totals (the
 * parts add up to it exactly); requested lines are split by their own taxes. `amount` is what the
 * note credits: the net plus the taxes as rounded. Tax lines are per (jurisdiction, category, rate).
 */
export function splitCredit(
	invoice: { total: number },
	lines: readonly CreditableLine[],
	request: CreditRequest,
): CreditSplit {
	const parts: { line: CreditableLine; gross: number }[] = [];
	if ("lines" in request) {
		for (const [i, requested] of request.lines.entries()) {
			const line = lines.find((l) => l.id === requested.line_id);
			if (!line) return { ok: false, field: `lines.${i}.line_id`, message: "is not a line of this invoice" };
			if (requested.amount > line.total)
				return { ok: false, field: `lines.${i}.amount`, message: `exceeds the line total of ${line.total}` };
			parts.push({ line, gross: requested.amount });
		}
	} else if (invoice.total > 0) {
		const shares = allocate(
			BigInt(request.amount),
			lines.map((line) => BigInt(line.total)),
		);
		for (const [i, line] of lines.entries()) {
			const gross = Number(shares[i]);
			if (gross > 0) parts.push({ line, gross });
		}
	} else {
		return { ok: true, amount: request.amount, net: request.amount, taxLines: [], lines: [] };
	}
	const rows = new Map<string, Required<CreditNoteTaxLine>>();
	const credited: CreditNoteLine[] = [];
	for (const { line, gross } of parts) {
		const { credit, taxes } = creditedLine(line, gross);
		credited.push(credit);
		for (const tax of taxes) {
			const key = `${tax.jurisdiction}\u0000${tax.category}\u0000${tax.rate}`;
			const row = rows.get(key) ?? {
				jurisdiction: tax.jurisdiction,
				category: tax.category,
				rate: tax.rate,
				taxable_amount: 0,
				amount: 0,
				exemption_reason: credit.tax_exemption_reason,
				exemption_reason_code: credit.tax_exemption_reason_code,
			};
			row.taxable_amount += credit.net_amount;
			row.amount += tax.amount;
			rows.set(key, row);
		}
	}
	const net = credited.reduce((sum, line) => sum + line.net_amount, 0);
	const tax = credited.reduce((sum, line) => sum + line.tax_amount, 0);
	return { ok: true, amount: net + tax, net, taxLines: [...rows.values()], lines: credited };
}
