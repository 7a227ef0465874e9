// How far behind a customer is with paying: its open invoices past their due date on a given day.
import { daysPastDue } from "./aging";

export type Delinquency = {
	delinquent: boolean;
	overdue_invoices: number;
	/** The due date of its oldest unpaid invoice past due, and how many days ago that was. */
	oldest_overdue_due_date: string | null;
	days_past_due: number;
	/** Its subscriptions that delinquency moved to past_due or unpaid. */
	subscriptions_past_due: number;
};

/** The delinquency of a customer with these open invoices and past-due subscriptions, on `today`. */
export function delinquencyOf(
	openInvoices: readonly { dueDate: string | null; balance: number }[],
	subscriptionsPastDue: number,
	today: string,
): Delinquency {
	const overdue = openInvoices.filter(
		(invoice): invoice is { dueDate: string; balance: number } =>
			invoice.balance > 0 && invoice.dueDate !== null && invoice.dueDate < today,
	);
	const oldest = overdue.reduce<string | null>(
		(min, invoice) => (min === null || invoice.dueDate < min ? invoice.dueDate : min),
		null,
	);
	return {
		delinquent: overdue.length > 0 || subscriptionsPastDue > 0,
		overdue_invoices: overdue.length,
		oldest_overdue_due_date: oldest,
		days_past_due: oldest === null ? 0 : daysPastDue(oldest, today),
		subscriptions_past_due: subscriptionsPastDue,
	};
}
