// Statements shared by every operation that moves a payment's money on or off invoices.
import { and, eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { paymentAllocations, payments } from "../../db/schema";
import type { Allocation } from "../../domain/allocation";
import type { ServiceContext } from "../../lib/context";
import { newId } from "../../lib/ids";
import { refreshSettlementStatement } from "../invoices/invoiceStatements";

/**
 * Adds each move to (sign 1) or takes it off (sign -1) its (payment, invoice) allocation, then recomputes
 * the payment's allocated total and each invoice's settlement from the rows. CHECKs refuse an
 * allocation below zero, a payment allocating more than it has, and an invoice balance below zero.
 */
export function moveAllocations(
	ctx: ServiceContext,
	paymentId: string,
	moves: readonly Allocation[],
	sign: 1 | -1,
): BatchItem<"sqlite">[] {
	const now = ctx.clock.now().toISOString();
	const statements: BatchItem<"sqlite">[] = moves.map((move) =>
		sign < 0
			? ctx.db
					.update(paymentAllocations)
					.set({ amount: sql`${paymentAllocations.amount} - ${move.amount}`, updatedAt: now })
					.where(and(eq(paymentAllocations.paymentId, paymentId), eq(paymentAllocations.invoiceId, move.invoiceId)))
			: ctx.db
					.insert(paymentAllocations)
					.values({
						id: newId("allocation"),
						tenantId: ctx.tenantId,
						paymentId,
						invoiceId: move.invoiceId,
						amount: move.amount,
						createdAt: now,
						updatedAt: now,
					})
					.onConflictDoUpdate({
						target: [paymentAllocations.paymentId, paymentAllocations.invoiceId],
						set: { amount: sql`${paymentAllocations.amount} + ${move.amount}`, updatedAt: now },
					}),
	);
	statements.push(refreshAllocatedStatement(ctx, paymentId));
	for (const invoiceId of new Set(moves.map((m) => m.invoiceId)))
		statements.push(refreshSettlementStatement(ctx, invoiceId));
	return statements;
}

export const refreshAllocatedStatement = (ctx: ServiceContext, paymentId: string) =>
	ctx.db
		.update(payments)
		.set({
			amountAllocated:
				sql`(select coalesce(sum(${paymentAllocations.amount}), 0) from ${paymentAllocations} where ${paymentAllocations.paymentId} = ${paymentId})` as unknown as number,
			updatedAt: ctx.clock.now().toISOString(),
		})
		.where(and(eq(payments.tenantId, ctx.tenantId), eq(payments.id, paymentId)));
