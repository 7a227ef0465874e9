import { and, asc, eq, gt, sql } from "drizzle-orm";
import { inJsonArray } from "../../db/chunks";
import { preparedQuery } from "../../db/client";
import {
	creditNoteApplications,
	documentDeliveries,
	invoiceLines,
	invoices,
	paymentAllocations,
} from "../../db/schema";
import { idInTenant } from "../../db/scope";
import type { ServiceContext } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { groupBy } from "../../lib/groupBy";
import type { DeliveryRow } from "../../schemas/delivery";
import type { InvoiceDetail, InvoiceLineRow, InvoiceRow, InvoiceSettlements } from "../../schemas/invoice";

const tenant = sql.placeholder("tenantId");
const invoiceId = sql.placeholder("id");
const invoiceIds = sql.placeholder("ids");

const allocationsOfInvoices = preparedQuery((db) =>
	db
		.select()
		.from(paymentAllocations)
		.where(
			and(
				eq(paymentAllocations.tenantId, tenant),
				inJsonArray(paymentAllocations.invoiceId, invoiceIds),
				gt(paymentAllocations.amount, 0),
			),
		)
		.orderBy(asc(paymentAllocations.createdAt)),
);
const applicationsOfInvoices = preparedQuery((db) =>
	db
		.select()
		.from(creditNoteApplications)
		.where(and(eq(creditNoteApplications.tenantId, tenant), inJsonArray(creditNoteApplications.invoiceId, invoiceIds)))
		.orderBy(asc(creditNoteApplications.id)),
);

type AllocationRow = typeof paymentAllocations.$inferSelect;
type ApplicationRow = typeof creditNoteApplications.$inferSelect;

function groupSettlements(invoiceIds: string[], allocations: AllocationRow[], applications: ApplicationRow[]) {
	const byInvoice = new Map<string, InvoiceSettlements>(
		invoiceIds.map((id) => [id, { payments: [], creditNotes: [] }]),
	);
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

const linesOfInvoices = preparedQuery((db) =>
	db
		.select()
		.from(invoiceLines)
		.where(and(eq(invoiceLines.tenantId, tenant), inJsonArray(invoiceLines.invoiceId, invoiceIds)))
		.orderBy(asc(invoiceLines.invoiceId), asc(invoiceLines.position)),
);
const deliveriesOfInvoices = preparedQuery((db) =>
	db
		.select()
		.from(documentDeliveries)
		.where(and(eq(documentDeliveries.tenantId, tenant), inJsonArray(documentDeliveries.documentId, invoiceIds)))
		.orderBy(asc(documentDeliveries.id)),
);

/** What an invoice shows besides its row. */
export type InvoiceParts = Omit<InvoiceDetail, "invoice">;

/** The reads of the parts of some invoices (one, or a page of a list), as items of one batch. */
const partsQueries = (ctx: ServiceContext, ids: string[]) => {
	const values = { tenantId: ctx.tenantId, ids: JSON.stringify(ids) };
	return [
		linesOfInvoices(ctx.db, values),
		deliveriesOfInvoices(ctx.db, values),
		allocationsOfInvoices(ctx.db, values),
		applicationsOfInvoices(ctx.db, values),
	] as const;
};

type PartsRows = readonly [InvoiceLineRow[], DeliveryRow[], AllocationRow[], ApplicationRow[]];

/** Each invoice's parts from the results of `partsQueries`. */
function partsOf(ids: string[], [lines, deliveries, allocations, applications]: PartsRows) {
	const settlements = groupSettlements(ids, allocations, applications);
	const linesOf = groupBy(lines, (line) => line.invoiceId);
	const deliveriesOf = groupBy(deliveries, (delivery) => delivery.documentId);
	return new Map<string, InvoiceParts>(
		ids.map((id) => [
			id,
			{ lines: linesOf.get(id) ?? [], deliveries: deliveriesOf.get(id) ?? [], settlements: settlements.get(id) },
		]),
	);
}

/** The lines, deliveries and settlements of each of `invoiceIds` (a page of a list), in one round trip. */
export async function loadInvoiceParts(ctx: ServiceContext, invoiceIds: string[]): Promise<Map<string, InvoiceParts>> {
	if (invoiceIds.length === 0) return new Map();
	return partsOf(invoiceIds, await ctx.db.batch(partsQueries(ctx, invoiceIds)));
}

export async function loadInvoiceRow(ctx: ServiceContext, id: string): Promise<InvoiceRow> {
	const row = await ctx.db
		.select()
		.from(invoices)
		.where(idInTenant(invoices, ctx.tenantId, id))
		.get();
	if (!row) throw notFound("invoice", id);
	return row;
}

const invoiceById = preparedQuery((db) =>
	db
		.select()
		.from(invoices)
		.where(idInTenant(invoices, tenant, invoiceId)),
);
/** The invoice's row, as an item of a batch. */
export const invoiceRowQuery = (ctx: ServiceContext, id: string) => invoiceById(ctx.db, { tenantId: ctx.tenantId, id });

/** The reads of an invoice's detail, to run as one batch (or at the end of a write batch). */
export const invoiceDetailQueries = (ctx: ServiceContext, id: string) =>
	[invoiceById(ctx.db, { tenantId: ctx.tenantId, id }), ...partsQueries(ctx, [id])] as const;

type DetailRows = readonly [InvoiceRow[], ...PartsRows];

/** The detail from the results of `invoiceDetailQueries`. */
export function invoiceDetailOf(id: string, [rows, ...parts]: DetailRows): InvoiceDetail {
	const invoice = rows[0];
	if (!invoice) throw notFound("invoice", id);
	return { invoice, ...(partsOf([id], parts).get(id) as InvoiceParts) };
}

/** The invoice with its lines, deliveries and settlements, read in one round trip. */
export async function loadInvoiceDetail(ctx: ServiceContext, id: string): Promise<InvoiceDetail> {
	return invoiceDetailOf(id, await ctx.db.batch(invoiceDetailQueries(ctx, id)));
}

/** The detail as the last five results of a batch that ended with `invoiceDetailQueries`. */
export const invoiceDetailFromBatch = (id: string, results: readonly unknown[]): InvoiceDetail =>
	invoiceDetailOf(id, results.slice(-5) as unknown as DetailRows);
