import { and, asc, eq, gt, inArray } from "drizzle-orm";
import { byIdChunks } from "../../db/chunks";
import { creditNoteApplications, invoiceDeliveries, invoiceLines, invoices, paymentAllocations } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { notFound } from "../../lib/errors";

export type InvoiceRow = typeof invoices.$inferSelect;
export type InvoiceLineRow = typeof invoiceLines.$inferSelect;
export type InvoiceDeliveryRow = typeof invoiceDeliveries.$inferSelect;
export type InvoiceSettlements = {
	payments: { paymentId: string; amount: number; appliedAt: string }[];
	creditNotes: { creditNoteId: string; amount: number }[];
};
export type InvoiceDetail = {
	invoice: InvoiceRow;
	lines: InvoiceLineRow[];
	deliveries: InvoiceDeliveryRow[];
	settlements?: InvoiceSettlements;
};

/** The payments and credit notes applied to each of `invoiceIds`, in two queries. */
export async function loadSettlements(
	ctx: ServiceContext,
	invoiceIds: string[],
): Promise<Map<string, InvoiceSettlements>> {
	const byInvoice = new Map<string, InvoiceSettlements>(
		invoiceIds.map((id) => [id, { payments: [], creditNotes: [] }]),
	);
	if (invoiceIds.length === 0) return byInvoice;
	const [allocations, applications] = await Promise.all([
		byIdChunks(invoiceIds, (ids) =>
			ctx.db
				.select()
				.from(paymentAllocations)
				.where(
					and(
						eq(paymentAllocations.tenantId, ctx.tenantId),
						inArray(paymentAllocations.invoiceId, ids),
						gt(paymentAllocations.amount, 0),
					),
				)
				.orderBy(asc(paymentAllocations.createdAt)),
		),
		byIdChunks(invoiceIds, (ids) =>
			ctx.db
				.select()
				.from(creditNoteApplications)
				.where(and(eq(creditNoteApplications.tenantId, ctx.tenantId), inArray(creditNoteApplications.invoiceId, ids)))
				.orderBy(asc(creditNoteApplications.id)),
		),
	]);
	for (const a of allocations)
		byInvoice.get(a.invoiceId)?.payments.push({ paymentId: a.paymentId, amount: a.amount, appliedAt: a.updatedAt });
	for (const a of applications) {
		const notes = byInvoice.get(a.invoiceId)?.creditNotes;
		const existing = notes?.find((n) => n.creditNoteId === a.creditNoteId);
		if (existing) existing.amount += a.amount;
		else notes?.push({ creditNoteId: a.creditNoteId, amount: a.amount });
	}
	return byInvoice;
}

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
	const settlements = (await loadSettlements(ctx, [id])).get(id);
	return { invoice, lines, deliveries, settlements };
}
