import { and, eq, sql } from "drizzle-orm";
import { invoices } from "../../db/schema";
import type { InvoiceStatus } from "../../domain/invoiceStatus";
import { todayOf } from "../../lib/clock";
import type { ServiceContext } from "../../lib/context";
import { defaultCurrency } from "../tenants/defaultCurrency";

/** How many invoices there are, and their totals, per status and whether past due (open ones only). */
export async function invoiceStatusTotals({ ctx }: { ctx: ServiceContext }) {
	const currency = await defaultCurrency(ctx);
	const today = todayOf(ctx.clock.now());
	const overdue = sql<number>`(${invoices.status} in ('issued', 'partially_paid') and coalesce(${invoices.dueDate} < ${today}, 0))`;
	const rows = await ctx.db
		.select({
			status: invoices.status,
			overdue,
			count: sql<number>`count(*)`,
			total: sql<number>`sum(${invoices.total})`,
		})
		.from(invoices)
		.where(and(eq(invoices.tenantId, ctx.tenantId), eq(invoices.currency, currency)))
		.groupBy(invoices.status, overdue);
	return {
		currency,
		groups: rows.map((r) => ({
			status: r.status as InvoiceStatus,
			overdue: r.overdue === 1,
			count: r.count,
			total: r.total,
		})),
	};
}
