// How money is spread over invoices and taken back off them. Pure, integer minor units.

export type OpenInvoice = { id: string; dueDate: string | null; balance: number };
export type Allocation = { invoiceId: string; amount: number };

/** Code-unit order, as SQLite compares text: the database picks the invoices a payment reaches in it. */
export const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The order money reaches open invoices in: oldest due date first, undated last, then by id. */
export const dueOrder = (a: OpenInvoice, b: OpenInvoice) =>
	byText(a.dueDate ?? "9999-12-31", b.dueDate ?? "9999-12-31") || byText(a.id, b.id);

/** How many of `ordered` (in `dueOrder`) a payment of `amount` reaches: those owing less than `amount` before them. */
export function reachedCount(amount: number, ordered: readonly OpenInvoice[]): number {
	let owedBefore = 0;
	let reached = 0;
	for (const invoice of ordered) {
		if (owedBefore >= amount) break;
		owedBefore += invoice.balance;
		reached += 1;
	}
	return reached;
}

/** Oldest due date first (undated last, then by id): the usual order customers expect money applied. */
export function allocateOldestDueFirst(
	amount: number,
	invoices: readonly OpenInvoice[],
): { allocations: Allocation[]; unapplied: number } {
	const ordered = [...invoices].sort(dueOrder);
	let remaining = amount;
	const allocations: Allocation[] = [];
	for (const invoice of ordered) {
		if (remaining === 0) break;
		const take = Math.min(remaining, invoice.balance);
		if (take > 0) {
			allocations.push({ invoiceId: invoice.id, amount: take });
			remaining -= take;
		}
	}
	return { allocations, unapplied: remaining };
}

/** The open invoices once `allocations` are applied to them: balances down, the settled ones gone. */
export function applyAllocations<T extends OpenInvoice>(
	invoices: readonly T[],
	allocations: readonly Allocation[],
): T[] {
	const applied = new Map<string, number>();
	for (const a of allocations) applied.set(a.invoiceId, (applied.get(a.invoiceId) ?? 0) + a.amount);
	return invoices
		.map((invoice) => ({ ...invoice, balance: invoice.balance - (applied.get(invoice.id) ?? 0) }))
		.filter((invoice) => invoice.balance > 0);
}

/**
 * Money going back out of a payment (a refund, a lost dispute): first from what is unapplied, then
 * off its allocations — the named invoice first, then the most recent allocations — reopening those
 * invoices' balances. Null when the payment cannot cover the amount.
 */
export function planReturn(
	amount: number,
	unapplied: number,
	allocations: readonly Allocation[],
	preferInvoiceId?: string,
): { fromCredit: number; deallocations: Allocation[] } | null {
	const fromCredit = preferInvoiceId ? 0 : Math.min(amount, unapplied);
	let remaining = amount - fromCredit;
	const ordered = [
		...allocations.filter((a) => a.invoiceId === preferInvoiceId),
		...(preferInvoiceId ? [] : [...allocations].reverse()),
	];
	const deallocations: Allocation[] = [];
	for (const allocation of ordered) {
		if (remaining === 0) break;
		const take = Math.min(remaining, allocation.amount);
		if (take > 0) {
			deallocations.push({ invoiceId: allocation.invoiceId, amount: take });
			remaining -= take;
		}
	}
	return remaining === 0 ? { fromCredit, deallocations } : null;
}

/** Splits a gross amount into tax per jurisdiction, in proportion to an invoice's taxes; the rest is net. */
export function splitGross(
	gross: number,
	invoice: { total: number; taxLines: readonly { jurisdiction: string; amount: number }[] },
): { net: number; taxLines: { jurisdiction: string; amount: number }[] } {
	if (invoice.total === 0) return { net: gross, taxLines: [] };
	const taxLines = invoice.taxLines
		.map((t) => ({
			jurisdiction: t.jurisdiction,
			amount: Number((BigInt(gross) * BigInt(t.amount) * 2n + BigInt(invoice.total)) / (2n * BigInt(invoice.total))),
		}))
		.filter((t) => t.amount > 0);
	const tax = taxLines.reduce((sum, t) => sum + t.amount, 0);
	return { net: gross - tax, taxLines };
}
