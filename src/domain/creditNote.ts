import { splitGross } from "./allocation";
import { taxesByJurisdiction } from "./invoiceTotals";

type TaxAmount = { jurisdiction: string; amount: number };

/** What a credit note asks for: a gross amount of the whole invoice, or gross amounts of some of its lines. */
export type CreditRequest = { amount: number } | { lines: readonly { line_id: string; amount: number }[] };

export type CreditSplit =
	| { ok: true; amount: number; net: number; taxLines: TaxAmount[] }
	| { ok: false; field: string; message: string };

/**
 * How a credit splits into net and tax per jurisdiction: a gross amount in proportion to the invoice's
 * taxes, or each requested line's amount in proportion to that line's own taxes. `amount` is what the
 * note credits: the net plus the taxes as rounded.
 */
export function splitCredit(
	invoice: { total: number },
	lines: readonly { id: string; total: number; taxes: readonly TaxAmount[] }[],
	request: CreditRequest,
): CreditSplit {
	let net = 0;
	let taxes: TaxAmount[];
	if ("lines" in request) {
		const parts: TaxAmount[] = [];
		for (const [i, requested] of request.lines.entries()) {
			const line = lines.find((l) => l.id === requested.line_id);
			if (!line) return { ok: false, field: `lines.${i}.line_id`, message: "is not a line of this invoice" };
			if (requested.amount > line.total)
				return { ok: false, field: `lines.${i}.amount`, message: `exceeds the line total of ${line.total}` };
			const part = splitGross(requested.amount, { total: line.total, taxLines: line.taxes });
			net += part.net;
			parts.push(...part.taxLines);
		}
		taxes = taxesByJurisdiction(parts);
	} else {
		const part = splitGross(request.amount, {
			total: invoice.total,
			taxLines: taxesByJurisdiction(lines.flatMap((line) => line.taxes)),
		});
		net = part.net;
		taxes = part.taxLines;
	}
	return { ok: true, amount: net + taxes.reduce((sum, t) => sum + t.amount, 0), net, taxLines: taxes };
}
