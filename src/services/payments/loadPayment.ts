import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { preparedQuery } from "../../db/client";
import { invoices, paymentAllocations, payments } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import type { ServiceContext } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { type AllocationRow, type PaymentRow, presentPayment } from "../../schemas/payment";

export async function loadPaymentRow(ctx: ServiceContext, id: string): Promise<PaymentRow> {
	const row = await ctx.db
		.select()
		.from(payments)
		.where(idInTenant(payments, ctx.tenantId, id))
		.get();
	if (!row) throw notFound("payment", id);
	return row;
}

export async function loadAllocations(ctx: ServiceContext, paymentId: string): Promise<AllocationRow[]> {
	return ctx.db
		.select()
		.from(paymentAllocations)
		.where(and(eq(paymentAllocations.tenantId, ctx.tenantId), eq(paymentAllocations.paymentId, paymentId)))
		.orderBy(asc(paymentAllocations.createdAt), asc(paymentAllocations.id));
}

/** Allocations that can be taken back: those on invoices still issued, partially paid or paid. */
export async function loadReopenableAllocations(ctx: ServiceContext, paymentId: string) {
	const rows = await ctx.db
		.select({ invoiceId: paymentAllocations.invoiceId, amount: paymentAllocations.amount })
		.from(paymentAllocations)
		.innerJoin(invoices, eq(invoices.id, paymentAllocations.invoiceId))
		.where(
			and(
				eq(paymentAllocations.tenantId, ctx.tenantId),
				eq(paymentAllocations.paymentId, paymentId),
				inArray(invoices.status, ["issued", "partially_paid", "paid"]),
			),
		)
		.orderBy(asc(paymentAllocations.createdAt), asc(paymentAllocations.id));
	return rows.filter((row) => row.amount > 0);
}

/** The payment and its allocations, as reads that can end a write batch. */
const paymentById = preparedQuery((db) =>
	db
		.select()
		.from(payments)
		.where(and(eq(payments.tenantId, sql.placeholder("tenantId")), eq(payments.id, sql.placeholder("id")))),
);
const allocationsOfPayment = preparedQuery((db) =>
	db
		.select()
		.from(paymentAllocations)
		.where(
			and(
				eq(paymentAllocations.tenantId, sql.placeholder("tenantId")),
				eq(paymentAllocations.paymentId, sql.placeholder("id")),
			),
		)
		.orderBy(asc(paymentAllocations.createdAt), asc(paymentAllocations.id)),
);

export const paymentQueries = (ctx: ServiceContext, id: string) => {
	const values = { tenantId: ctx.tenantId, id };
	return [paymentById(ctx.db, values), allocationsOfPayment(ctx.db, values)] as const;
};

export async function presentPaymentById(ctx: ServiceContext, id: string) {
	const [[row], allocations] = await ctx.db.batch(paymentQueries(ctx, id));
	if (!row) throw notFound("payment", id);
	return presentPayment(row, allocations);
}
