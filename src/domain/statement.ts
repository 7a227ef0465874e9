// A statement of account: what a customer owed before a period, each movement in it, and after.

export type MovementType = "invoice" | "payment" | "credit_note" | "refund" | "write_off" | "void";

/** One change to what the customer owes: positive raises it (debit), negative lowers it (credit). */
export type Movement = { date: string; type: MovementType; sourceId: string; reference: string; amount: number };

export type StatementLine = {
	date: string;
	type: MovementType;
	source_id: string;
	reference: string;
	debit: number;
	credit: number;
	balance: number;
};

/** Within a day, the document comes before what settles it. */
const TYPE_ORDER: Record<MovementType, number> = {
	invoice: 0,
	payment: 1,
	credit_note: 2,
	refund: 3,
	write_off: 4,
	void: 5,
};

export const MAX_STATEMENT_YEARS = 5;

/** Why a period cannot be a statement's, naming the field at fault; null when it can. */
export function statementPeriodError(from: string, to: string): { field: "from" | "to"; message: string } | null {
	if (from > to) return { field: "from", message: `is after to (${to})` };
	const limit = new Date(`${from}T00:00:00Z`);
	limit.setUTCFullYear(limit.getUTCFullYear() + MAX_STATEMENT_YEARS);
	if (to >= limit.toISOString().slice(0, 10)) {
		return { field: "to", message: `is more than ${MAX_STATEMENT_YEARS} years after from (${from})` };
	}
	return null;
}

/**
 * The opening balance (every movement before `from`), the period's movements in date order with the
 * running balance, and the closing balance; movements after `to` are left out.
 */
export function buildStatement(movements: readonly Movement[], from: string, to: string) {
	const ordered = [...movements]
		.filter((m) => m.date <= to)
		.sort(
			(a, b) =>
				a.date.localeCompare(b.date) || TYPE_ORDER[a.type] - TYPE_ORDER[b.type] || a.sourceId.localeCompare(b.sourceId),
		);
	let balance = 0;
	const lines: StatementLine[] = [];
	for (const movement of ordered) {
		balance += movement.amount;
		if (movement.date < from) continue;
		lines.push({
			date: movement.date,
			type: movement.type,
			source_id: movement.sourceId,
			reference: movement.reference,
			debit: Math.max(movement.amount, 0),
			credit: Math.max(-movement.amount, 0),
			balance,
		});
	}
	const openingBalance = ordered.filter((m) => m.date < from).reduce((sum, m) => sum + m.amount, 0);
	return { openingBalance, lines, closingBalance: balance };
}
