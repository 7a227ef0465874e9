import { and, eq, gte, inArray, lt, lte, sql } from "drizzle-orm";
import { invoices } from "../../db/schema";
import { todayOf } from "../../lib/clock";
import type { ServiceContext } from "../../lib/context";
import type { InvoiceListQuery } from "../../schemas/invoice";
import { type InvoiceRow, presentInvoice } from "../../schemas/invoice";
import { paginate, type SortBy } from "../pagination";
import { loadInvoiceParts } from "./loadInvoice";

/**
 * Drafts have no issue date yet: they are dated by creation for the from/to filters. Written exactly as
 * the invoices_tenant_document_date index is, so SQLite can search the range.
 */
const documentDate = sql<string>`coalesce(${invoices.issueDate}, substr(${invoices.createdAt}, 1, 10))`;
const dueOrLast = sql<string>`coalesce(${invoices.dueDate}, '9999-12-31')`;

function sortFor(sort: InvoiceListQuery["sort"]): SortBy<InvoiceRow> | undefined {
	const order = sort.startsWith("-") ? "desc" : "asc";
	switch (sort.replace("-", "")) {
		case "due_date":
			return { expression: dueOrLast, value: (row) => row.dueDate ?? "9999-12-31", order };
		case "total":
			return { expression: sql`${invoices.total}`, value: (row) => row.total, order };
		default:
			return undefined;
	}
}

/** A page of invoices with their lines, deliveries and settlements: two round trips, whatever the page size. */
export async function listInvoices({
	ctx,
	query,
}: {
	ctx: ServiceContext;
	query: InvoiceListQuery & { offset?: number };
}) {
	const today = todayOf(ctx.clock.now());
	const filters = and(
		eq(invoices.tenantId, ctx.tenantId),
		query.status ? inArray(invoices.status, query.status) : undefined,
		query.customer_id ? eq(invoices.customerId, query.customer_id) : undefined,
		query.currency ? eq(invoices.currency, query.currency) : undefined,
		query.from ? gte(documentDate, query.from) : undefined,
		query.to ? lte(documentDate, query.to) : undefined,
		query.min_amount !== undefined ? gte(invoices.total, query.min_amount) : undefined,
		query.overdue === undefined
			? undefined
			: query.overdue
				? and(inArray(invoices.status, ["issued", "partially_paid"]), lt(invoices.dueDate, today))
				: sql`not (${invoices.status} in ('issued', 'partially_paid') and ${invoices.dueDate} < ${today})`,
	);
	const sortBy = sortFor(query.sort);
	const page = await paginate({
		query: { ...query, order: sortBy ? sortBy.order : query.sort === "created_at" ? "asc" : "desc" },
		idColumn: invoices.id,
		sortBy,
		run: (page) =>
			ctx.db
				.select()
				.from(invoices)
				.where(and(filters, page.where))
				.orderBy(...page.orderBy)
				.limit(page.limit)
				.offset(page.offset),
		present: (invoice) => invoice,
	});
	const parts = await loadInvoiceParts(
		ctx,
		page.data.map((invoice) => invoice.id),
	);
	return {
		...page,
		data: page.data.map((invoice) =>
			presentInvoice({ invoice, lines: [], deliveries: [], ...parts.get(invoice.id) }, today),
		),
	};
}
