import { and, eq, gte, inArray, sql } from "drizzle-orm";
import { customers, invoices, paymentAllocations } from "../../db/schema";
import { daysPastDue } from "../../domain/aging";
import type { ServiceContext } from "../../lib/context";
import { defaultCurrency } from "../tenants/defaultCurrency";

/**
 * This month so far (UTC), in the tenant's currency: money applied to invoices (refunds taken back off
 * them lower it), what open invoices still owe, active customers, invoices issued and paid, and the
 * average days from issue to payment of those paid.
 */
export async function receivablesMetrics({ ctx }: { ctx: ServiceContext }) {
	const currency = await defaultCurrency(ctx);
	const monthStart = `${ctx.clock.now().toISOString().slice(0, 7)}-01`;
	const ofTenant = and(eq(invoices.tenantId, ctx.tenantId), eq(invoices.currency, currency));
	const [[collected], [outstanding], [active], [issued], paid] = await ctx.db.batch([
		ctx.db
			.select({ amount: sql<number>`coalesce(sum(${paymentAllocations.amount}), 0)` })
			.from(paymentAllocations)
			.innerJoin(
				invoices,
				and(eq(invoices.tenantId, paymentAllocations.tenantId), eq(invoices.id, paymentAllocations.invoiceId)),
			)
			.where(and(ofTenant, gte(paymentAllocations.createdAt, monthStart))),
		ctx.db
			.select({ amount: sql<number>`coalesce(sum(${invoices.balance}), 0)` })
			.from(invoices)
			.where(and(ofTenant, inArray(invoices.status, ["issued", "partially_paid"]))),
		ctx.db
			.select({ count: sql<number>`count(*)` })
			.from(customers)
			.where(and(eq(customers.tenantId, ctx.tenantId), eq(customers.status, "active"))),
		ctx.db
			.select({ count: sql<number>`count(*)` })
			.from(invoices)
			.where(and(ofTenant, gte(invoices.finalizedAt, monthStart))),
		ctx.db
			.select({ issueDate: invoices.issueDate, paidAt: invoices.paidAt })
			.from(invoices)
			.where(and(ofTenant, eq(invoices.status, "paid"), gte(invoices.paidAt, monthStart))),
	]);
	const days = paid.flatMap((i) =>
		i.issueDate && i.paidAt ? [Math.max(0, daysPastDue(i.issueDate, i.paidAt.slice(0, 10)))] : [],
	);
	return {
		currency,
		collectedThisMonth: collected?.amount ?? 0,
		outstanding: outstanding?.amount ?? 0,
		activeCustomers: active?.count ?? 0,
		issuedThisMonth: issued?.count ?? 0,
		paidThisMonth: paid.length,
		averageDaysToPay: days.length === 0 ? 0 : Math.round(days.reduce((sum, d) => sum + d, 0) / days.length),
	};
}
