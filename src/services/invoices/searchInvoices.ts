import { and, asc, desc, eq, gte, inArray, lt, lte, or, type SQL, sql } from "drizzle-orm";
import { customers, invoices } from "../../db/schema";
import type { InvoiceStatus } from "../../domain/invoiceStatus";
import { todayOf } from "../../lib/clock";
import type { ServiceContext } from "../../lib/context";
import type { InvoiceDetail } from "../../schemas/invoice";
import { loadInvoiceParts } from "./loadInvoice";

export type InvoiceSearch = {
	/** Any of these (status, overdue) pairs; overdue undefined matches either. */
	statuses?: readonly { ours: readonly InvoiceStatus[]; overdue?: boolean }[];
	customerId?: string;
	/** Part of the invoice number or of the customer's name. */
	search?: string;
	dueFrom?: string;
	dueTo?: string;
	sort: { by: "created_at" | "issue_date" | "due_date" | "total" | "number"; direction: "asc" | "desc" };
	offset: number;
	limit: number;
};

const sortColumns = {
	created_at: invoices.createdAt,
	issue_date: invoices.issueDate,
	due_date: invoices.dueDate,
	total: invoices.total,
	number: invoices.number,
};

/** A page of the tenant's invoices by offset, with their parts and customer names; and how many match. */
export async function searchInvoices({ ctx, query }: { ctx: ServiceContext; query: InvoiceSearch }) {
	const today = todayOf(ctx.clock.now());
	const open = inArray(invoices.status, ["issued", "partially_paid"]);
	const overdueSql = and(open, lt(invoices.dueDate, today));
	const statusCondition = (entry: { ours: readonly InvoiceStatus[]; overdue?: boolean }): SQL | undefined =>
		and(
			inArray(invoices.status, [...entry.ours]),
			entry.overdue === undefined ? undefined : entry.overdue ? overdueSql : sql`not coalesce(${overdueSql}, 0)`,
		);
	const pattern = query.search && `%${query.search.toLowerCase().replace(/[%_\\]/g, (char) => `\\${char}`)}%`;
	const where = and(
		eq(invoices.tenantId, ctx.tenantId),
		query.statuses ? or(...query.statuses.map(statusCondition)) : undefined,
		query.customerId ? eq(invoices.customerId, query.customerId) : undefined,
		pattern
			? or(
					sql`lower(${invoices.number}) like ${pattern} escape '\\'`,
					sql`lower(${customers.name}) like ${pattern} escape '\\'`,
				)
			: undefined,
		query.dueFrom ? gte(invoices.dueDate, query.dueFrom) : undefined,
		query.dueTo ? lte(invoices.dueDate, query.dueTo) : undefined,
	);
	const order = query.sort.direction === "asc" ? asc : desc;
	const joined = and(eq(customers.tenantId, invoices.tenantId), eq(customers.id, invoices.customerId));
	const [rows, [count]] = await ctx.db.batch([
		ctx.db
			.select({ invoice: invoices, customerName: customers.name })
			.from(invoices)
			.innerJoin(customers, joined)
			.where(where)
			.orderBy(order(sortColumns[query.sort.by]), order(invoices.id))
			.limit(query.limit)
			.offset(query.offset),
		ctx.db.select({ total: sql<number>`count(*)` }).from(invoices).innerJoin(customers, joined).where(where),
	]);
	const parts = await loadInvoiceParts(
		ctx,
		rows.map((r) => r.invoice.id),
	);
	const content = rows.map((r): InvoiceDetail & { customerName: string } => ({
		invoice: r.invoice,
		customerName: r.customerName,
		...(parts.get(r.invoice.id) ?? { lines: [], deliveries: [] }),
	}));
	return { content, total: count?.total ?? 0 };
}
