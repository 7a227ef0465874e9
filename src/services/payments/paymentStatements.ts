// Statements shared by every operation that moves a payment's money on or off invoices.
import { and, eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { preparedQuery } from "../../db/client";
import { paymentAllocations, payments } from "../../db/schema";
import type { Allocation } from "../../domain/allocation";
import type { ServiceContext } from "../../lib/context";
import { newId } from "../../lib/ids";
import { refreshSettlementStatement } from "../invoices/invoiceStatements";

const p = (name: string) => sql.placeholder(name);

const addToAllocation = preparedQuery((db) =>
	db
		.insert(paymentAllocations)
		.values({
			id: p("id"),
			tenantId: p("tenantId"),
			paymentId: p("paymentId"),
			invoiceId: p("invoiceId"),
			amount: p("amount"),
			createdAt: p("now"),
			updatedAt: p("now"),
		})
		.onConflictDoUpdate({
			target: [paymentAllocations.paymentId, paymentAllocations.invoiceId],
			set: { amount: sql`${paymentAllocations.amount} + ${p("amount")}`, updatedAt: sql`${p("now")}` },
		}),
);
const takeFromAllocation = preparedQuery((db) =>
	db
		.update(paymentAllocations)
		.set({ amount: sql`${paymentAllocations.amount} - ${p("amount")}`, updatedAt: sql`${p("now")}` })
		.where(and(eq(paymentAllocations.paymentId, p("paymentId")), eq(paymentAllocations.invoiceId, p("invoiceId")))),
);
const allocatedRefresh = preparedQuery((db) =>
	db
		.update(payments)
		.set({
			amountAllocated:
				sql`(select coalesce(sum(${paymentAllocations.amount}), 0) from ${paymentAllocations} where ${paymentAllocations.paymentId} = ${p("paymentId")})` as unknown as number,
			updatedAt: sql`${p("now")}`,
		})
		.where(and(eq(payments.tenantId, p("tenantId")), eq(payments.id, p("paymentId")))),
);

/**
 * Adds each move to (sign 1) or takes it off (sign -1) its (payment, invoice) allocation (a new one takes
 * the move's `id` when it names one), then recomputes
 * the payment's allocated total and each invoice's settlement from the rows. CHECKs refuse an
 * allocation below zero, a payment allocating more than it has, and an invoice balance below zero.
 * Every money movement runs these, so they are built once (see preparedQuery). No move, no statement:
 * a payment nothing is applied to keeps the total it was written with.
 */
export function moveAllocations(
	ctx: ServiceContext,
	paymentId: string,
	moves: readonly (Allocation & { id?: string })[],
	sign: 1 | -1,
): BatchItem<"sqlite">[] {
	if (moves.length === 0) return [];
	const now = ctx.clock.now().toISOString();
	const statements: BatchItem<"sqlite">[] = moves.map((move) => {
		const values = { tenantId: ctx.tenantId, paymentId, invoiceId: move.invoiceId, amount: move.amount, now };
		return sign < 0
			? takeFromAllocation(ctx.db, values)
			: addToAllocation(ctx.db, { ...values, id: move.id ?? newId("allocation") });
	});
	statements.push(refreshAllocatedStatement(ctx, paymentId));
	for (const invoiceId of new Set(moves.map((m) => m.invoiceId)))
		statements.push(refreshSettlementStatement(ctx, invoiceId));
	return statements;
}

export const refreshAllocatedStatement = (ctx: ServiceContext, paymentId: string) =>
	allocatedRefresh(ctx.db, { tenantId: ctx.tenantId, paymentId, now: ctx.clock.now().toISOString() });
