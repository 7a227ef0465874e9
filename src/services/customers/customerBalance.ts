import { and, eq, gt, inArray, sql } from "drizzle-orm";
import { creditNotes, invoices, payments } from "../../db/schema";
import { ageReceivables } from "../../domain/aging";
import { todayOf } from "../../lib/clock";
import type { ServiceContext } from "../../lib/context";
import { notFound } from "../../lib/errors";
import type { CurrencyBalance } from "../../schemas/customerProfile";
import { customerRowQuery } from "./loadCustomer";

/**
 * The reads of a customer's balance, as items of a batch: its open invoices, and its unapplied
 * payments and unused credit notes summed per currency.
 */
export const balanceQueries = (ctx: ServiceContext, customerId: string) =>
	[
		ctx.db
			.select({ currency: invoices.currency, dueDate: invoices.dueDate, balance: invoices.balance })
			.from(invoices)
			.where(
				and(
					eq(invoices.tenantId, ctx.tenantId),
					eq(invoices.customerId, customerId),
					inArray(invoices.status, ["issued", "partially_paid"]),
					gt(invoices.balance, 0),
				),
			),
		ctx.db
			.select({
				currency: payments.currency,
				credit: sql<number>`sum(${payments.amount} - ${payments.amountAllocated} - ${payments.amountRefunded} - ${payments.amountReversed})`,
			})
			.from(payments)
			.where(and(eq(payments.tenantId, ctx.tenantId), eq(payments.customerId, customerId)))
			.groupBy(payments.currency),
		ctx.db
			.select({
				currency: creditNotes.currency,
				credit: sql<number>`sum(${creditNotes.amount} - ${creditNotes.amountApplied})`,
			})
			.from(creditNotes)
			.where(
				and(
					eq(creditNotes.tenantId, ctx.tenantId),
					eq(creditNotes.customerId, customerId),
					eq(creditNotes.status, "issued"),
				),
			)
			.groupBy(creditNotes.currency),
	] as const;

type BalanceRows = [
	open: { currency: string; dueDate: string | null; balance: number }[],
	paymentCredit: { currency: string; credit: number }[],
	noteCredit: { currency: string; credit: number }[],
];

/**
 * What the customer owes and holds per currency on `today`: outstanding = Σ open invoice balances, of
 * which overdue is what is past its due date; credit = unapplied payments + unused credit notes.
 */
export function balancesOf([open, paymentCredit, noteCredit]: BalanceRows, today: string): CurrencyBalance[] {
	const currencies = new Set([
		...open.map((i) => i.currency),
		...paymentCredit.map((p) => p.currency),
		...noteCredit.map((n) => n.currency),
	]);
	return [...currencies].sort().map((currency) => {
		const invoicesIn = open.filter((i) => i.currency === currency);
		const outstanding = invoicesIn.reduce((sum, i) => sum + i.balance, 0);
		const credit =
			(paymentCredit.find((p) => p.currency === currency)?.credit ?? 0) +
			(noteCredit.find((n) => n.currency === currency)?.credit ?? 0);
		const aging = ageReceivables(invoicesIn, today);
		return { currency, outstanding, overdue: outstanding - aging.current, credit, net: outstanding - credit, aging };
	});
}

/** The customer's balance per currency, read in one round trip with the customer itself. */
export async function customerBalance({ ctx, customerId }: { ctx: ServiceContext; customerId: string }) {
	const today = todayOf(ctx.clock.now());
	const [[customer], ...rows] = await ctx.db.batch([
		customerRowQuery(ctx, customerId),
		...balanceQueries(ctx, customerId),
	]);
	if (!customer) throw notFound("customer", customerId);
	return {
		object: "customer_balance" as const,
		customer_id: customerId,
		as_of: today,
		balances: balancesOf(rows, today),
	};
}
