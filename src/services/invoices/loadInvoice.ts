import { and, asc, eq } from "drizzle-orm";
import { invoiceDeliveries, invoiceLines, invoices } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { notFound } from "../../lib/errors";

export type InvoiceRow = typeof invoices.$inferSelect;
export type InvoiceLineRow = typeof invoiceLines.$inferSelect;
export type InvoiceDeliveryRow = typeof invoiceDeliveries.$inferSelect;
export type InvoiceDetail = { invoice: InvoiceRow; lines: InvoiceLineRow[]; deliveries: InvoiceDeliveryRow[] };

export async function loadInvoiceRow(ctx: ServiceContext, id: string): Promise<InvoiceRow> {
	const row = await ctx.db
		.select()
		.from(invoices)
		.where(and(eq(invoices.tenantId, ctx.tenantId), eq(invoices.id, id)))
		.get();
	if (!row) throw notFound("invoice", id);
	return row;
}

/** The invoice with its lines and deliveries, read in one round trip. */
export async function loadInvoiceDetail(ctx: ServiceContext, id: string): Promise<InvoiceDetail> {
	const [rows, lines, deliveries] = await ctx.db.batch([
		ctx.db
			.select()
			.from(invoices)
			.where(and(eq(invoices.tenantId, ctx.tenantId), eq(invoices.id, id))),
		ctx.db
			.select()
			.from(invoiceLines)
			.where(and(eq(invoiceLines.tenantId, ctx.tenantId), eq(invoiceLines.invoiceId, id)))
			.orderBy(asc(invoiceLines.position)),
		ctx.db
			.select()
			.from(invoiceDeliveries)
			.where(and(eq(invoiceDeliveries.tenantId, ctx.tenantId), eq(invoiceDeliveries.invoiceId, id)))
			.orderBy(asc(invoiceDeliveries.id)),
	]);
	const invoice = rows[0];
	if (!invoice) throw notFound("invoice", id);
	return { invoice, lines, deliveries };
}
