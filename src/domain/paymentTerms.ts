// Payment terms say when an invoice falls due relative to its issue date.

export type PaymentTerms =
	| { kind: "due_on_receipt"; days: 0 }
	| { kind: "prepaid"; days: 0 }
	| { kind: "net"; days: number };

export const MAX_NET_DAYS = 365;

/** Accepts `due_on_receipt`, `prepaid`, `net30` and `net_30` (0 to 365 days); anything else is null. */
export function parsePaymentTerms(value: string): PaymentTerms | null {
	if (value === "due_on_receipt" || value === "prepaid") return { kind: value, days: 0 };
	const match = /^net_?(\d{1,3})$/.exec(value);
	if (!match) return null;
	const days = Number(match[1]);
	return days <= MAX_NET_DAYS ? { kind: "net", days } : null;
}

/** The due date, as `YYYY-MM-DD`, of an invoice issued on `issueDate` under `terms`. */
export function dueDateFor(issueDate: string, terms: PaymentTerms): string {
	const date = new Date(`${issueDate}T00:00:00Z`);
	date.setUTCDate(date.getUTCDate() + terms.days);
	return date.toISOString().slice(0, 10);
}
