import { and, eq, gt, inArray, sql } from "drizzle-orm";
import { creditNotes, invoices, payments } from "../../db/schema";
import { type AgingBuckets, ageReceivables } from "../../domain/aging";
import type { ServiceContext } from "../../lib/context";
import { loadCustomer } from "./loadCustomer";

type CurrencyBalance = { currency: string; outstanding: number; credit: number; net: number; aging: AgingBuckets };

/**
 * What the customer owes and holds, per currency, read straight from invoices, payments and credit
 * notes: outstanding = Σ open invoice balances, credit = unapplied payments + unused credit notes.
 */
export async function customerBalance({ ctx, customerId }: { ctx: ServiceContext; customerId: string }) {
	await loadCustomer(ctx, customerId);
	const today = ctx.clock.now().toISOString().slice(0, 10);
	const [open, paymentCredit, noteCredit] = await ctx.db.batch([
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
	]);
	const currencies = new Set([
		...open.map((i) => i.currency),
		...paymentCredit.map((p) => p.currency),
		...noteCredit.map((n) => n.currency),
	]);
	const balances: CurrencyBalance[] = [...currencies].sort().map((currency) => {
		const invoicesIn = open.filter((i) => i.currency === currency);
		const outstanding = invoicesIn.reduce((sum, i) => sum + i.balance, 0);
		const credit =
			(paymentCredit.find((p) => p.currency === currency)?.credit ?? 0) +
			(noteCredit.find((n) => n.currency === currency)?.credit ?? 0);
		return { currency, outstanding, credit, net: outstanding - credit, aging: ageReceivables(invoicesIn, today) };
	});
	return { object: "customer_balance" as const, customer_id: customerId, as_of: today, balances };
}
