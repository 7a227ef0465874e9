import { and, eq, gte, sql } from "drizzle-orm";
import { invoices, paymentAllocations } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { defaultCurrency, monthOf } from "../tenants/defaultCurrency";

/** The last `months` months (oldest first, this one last): money applied to invoices and invoices issued in each. */
export async function revenueTrend({ ctx, months }: { ctx: ServiceContext; months: number }) {
	const currency = await defaultCurrency(ctx);
	const now = ctx.clock.now();
	const monthList = Array.from({ length: months }, (_, i) => {
		const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1 - i), 1));
		return monthOf(date.toISOString());
	});
	const from = `${monthList[0]}-01`;
	const ofTenant = and(eq(invoices.tenantId, ctx.tenantId), eq(invoices.currency, currency));
	const collectedMonth = sql<string>`substr(${paymentAllocations.createdAt}, 1, 7)`;
	const issuedMonth = sql<string>`substr(${invoices.issueDate}, 1, 7)`;
	const [collected, issued] = await ctx.db.batch([
		ctx.db
			.select({ month: collectedMonth, amount: sql<number>`sum(${paymentAllocations.amount})` })
			.from(paymentAllocations)
			.innerJoin(
				invoices,
				and(eq(invoices.tenantId, paymentAllocations.tenantId), eq(invoices.id, paymentAllocations.invoiceId)),
			)
			.where(and(ofTenant, gte(paymentAllocations.createdAt, from)))
			.groupBy(collectedMonth),
		ctx.db
			.select({ month: issuedMonth, count: sql<number>`count(*)` })
			.from(invoices)
			.where(and(ofTenant, gte(invoices.issueDate, from)))
			.groupBy(issuedMonth),
	]);
	return {
		currency,
		months: monthList.map((month) => ({
			month,
			collected: collected.find((row) => row.month === month)?.amount ?? 0,
			invoicesIssued: issued.find((row) => row.month === month)?.count ?? 0,
		})),
	};
}
