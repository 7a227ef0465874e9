// Matching bank or settlement lines to what the ledger knows: first by reference (a recorded
// payment's reference, or an open invoice's number), then by amount and date. Pure.

export type StatementLine = {
	date: string;
	amount: number;
	currency: string;
	reference?: string;
	description?: string;
};
export type OpenInvoiceRef = { id: string; number: string; customerId: string; currency: string; balance: number };
export type PaymentRef = { id: string; reference: string | null; amount: number; currency: string; paidOn: string };

export type LineMatch =
	| { status: "matched"; match_type: "payment_reference" | "payment_amount_date"; payment_id: string }
	| { status: "matched"; match_type: "invoice_reference" | "invoice_amount"; invoice_id: string; customer_id: string }
	| { status: "ambiguous"; candidates: string[] }
	| { status: "unmatched" };

/** Payments this many days either side of a line's date may be the same money. */
export const DATE_TOLERANCE_DAYS = 3;

const dayDistance = (a: string, b: string) =>
	Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / 86_400_000;

export function matchLine(
	line: StatementLine,
	invoices: readonly OpenInvoiceRef[],
	payments: readonly PaymentRef[],
): LineMatch {
	const sameMoney = <T extends { currency: string }>(items: readonly T[]) =>
		items.filter((i) => i.currency === line.currency);
	if (line.reference) {
		const byReference = sameMoney(payments).find((p) => p.reference === line.reference && p.amount === line.amount);
		if (byReference) return { status: "matched", match_type: "payment_reference", payment_id: byReference.id };
	}
	const text = `${line.reference ?? ""} ${line.description ?? ""}`;
	const named = sameMoney(invoices).filter((i) => text.includes(i.number));
	if (named.length === 1 && named[0]) {
		return {
			status: "matched",
			match_type: "invoice_reference",
			invoice_id: named[0].id,
			customer_id: named[0].customerId,
		};
	}
	if (named.length > 1) return { status: "ambiguous", candidates: named.map((i) => i.id) };
	const byAmount = sameMoney(invoices).filter((i) => i.balance === line.amount);
	if (byAmount.length === 1 && byAmount[0]) {
		return {
			status: "matched",
			match_type: "invoice_amount",
			invoice_id: byAmount[0].id,
			customer_id: byAmount[0].customerId,
		};
	}
	if (byAmount.length > 1) return { status: "ambiguous", candidates: byAmount.map((i) => i.id) };
	const recorded = sameMoney(payments).filter(
		(p) => p.amount === line.amount && dayDistance(p.paidOn, line.date) <= DATE_TOLERANCE_DAYS,
	);
	if (recorded.length === 1 && recorded[0])
		return { status: "matched", match_type: "payment_amount_date", payment_id: recorded[0].id };
	if (recorded.length > 1) return { status: "ambiguous", candidates: recorded.map((p) => p.id) };
	return { status: "unmatched" };
}
