import { and, eq, sql } from "drizzle-orm";
import { disputes, payments } from "../../../src/db/schema";
import { idInTenant } from "../../../src/db/scope";
import { planReturn } from "../../../src/domain/allocation";
import { chargebackLost } from "../../../src/domain/ledger";
import type { ServiceContext } from "../../../src/lib/context";
import { AppError } from "../../../src/lib/errors";
import { newId } from "../../../src/lib/ids";
import {
	type DisputeCreateInput,
	type DisputeRow,
	type DisputeUpdateInput,
	presentDispute,
} from "../../../src/schemas/dispute";
import { unappliedOf } from "../../../src/schemas/payment";
import { loadDispute } from "../../../src/services/disputes/disputes";
import { journalStatements } from "../../../src/services/ledger/journalStatements";
import { loadPaymentRow, loadReopenableAllocations } from "../../../src/services/payments/loadPayment";
import { moveAllocations } from "../../../src/services/payments/paymentStatements";
import { commit } from "../commit";

const requireOpen = (row: DisputeRow) => {
	if (row.status !== "open") {
		throw new AppError("invalid_state", `Dispute ${row.id} is ${row.status}.`, {
			extensions: { current_status: row.status },
		});
	}
};

/** What a payment still holds that a chargeback could take: not refunded, reversed, or already disputed. */
async function disputable(ctx: ServiceContext, paymentId: string) {
	const payment = await loadPaymentRow(ctx, paymentId);
	const open = await ctx.db
		.select({ total: sql<number>`coalesce(sum(${disputes.amount}), 0)` })
		.from(disputes)
		.where(and(eq(disputes.tenantId, ctx.tenantId), eq(disputes.paymentId, paymentId), eq(disputes.status, "open")))
		.get();
	return { payment, available: payment.amount - payment.amountRefunded - payment.amountReversed - (open?.total ?? 0) };
}

/** Inside the account object: records the chargeback; no money moves until the dispute is lost. */
export async function commitOpenDispute(ctx: ServiceContext, input: DisputeCreateInput) {
	const { payment, available } = await disputable(ctx, input.payment_id);
	const amount = input.amount ?? available;
	if (amount <= 0 || amount > available) {
		throw new AppError(
			"conflict",
			`Payment ${payment.id} has ${available} that can be disputed; ${amount} was requested.`,
			{
				errors: [{ location: "body", field: "amount", message: `exceeds the ${available} available` }],
			},
		);
	}
	const row: DisputeRow = {
		id: newId("dispute"),
		tenantId: ctx.tenantId,
		paymentId: payment.id,
		customerId: payment.customerId,
		amount,
		currency: payment.currency,
		reason: input.reason,
		status: "open",
		evidence: [],
		notes: [],
		evidenceDueBy: input.evidence_due_by ?? null,
		journalEntryId: null,
		version: 1,
		createdAt: ctx.clock.now().toISOString(),
		resolvedAt: null,
	};
	await commit(ctx, {
		writes: [ctx.db.insert(disputes).values(row)],
		changes: [
			{
				action: "chargeback.created",
				target: { type: "dispute", id: row.id },
				before: null,
				after: presentDispute(row),
				answers: { status: 201, location: `/v1/billing/disputes/${row.id}` },
			},
		],
	});
	return presentDispute(row);
}

/** Inside the account object: appends evidence and notes to an open dispute. */
export async function commitUpdateDispute(ctx: ServiceContext, input: DisputeUpdateInput & { disputeId: string }) {
	const row = await loadDispute(ctx, input.disputeId);
	requireOpen(row);
	const now = ctx.clock.now().toISOString();
	const next: DisputeRow = {
		...row,
		evidence: [...row.evidence, ...(input.evidence ?? []).map((e) => ({ ...e, added_at: now }))],
		notes: [...row.notes, ...(input.note ? [{ body: input.note, author_id: ctx.actor.id, added_at: now }] : [])],
		evidenceDueBy: input.evidence_due_by ?? row.evidenceDueBy,
		version: row.version + 1,
	};
	await commit(ctx, {
		writes: [
			ctx.db
				.update(disputes)
				.set({ evidence: next.evidence, notes: next.notes, evidenceDueBy: next.evidenceDueBy, version: next.version })
				.where(and(eq(disputes.tenantId, ctx.tenantId), eq(disputes.id, row.id), eq(disputes.version, row.version))),
		],
		changes: [
			{
				action: "dispute.updated",
				target: { type: "dispute", id: row.id },
				before: presentDispute(row),
				after: presentDispute(next),
				answers: { status: 200 },
				event: null,
			},
		],
	});
	return presentDispute(next);
}

/**
 * Inside the account object. Won: nothing moves. Lost: the payment is reversed by the disputed amount,
 * out of its unapplied credit first and then off its allocations, reopening those invoices' balances.
 */
export async function commitResolveDispute(
	ctx: ServiceContext,
	input: { disputeId: string; outcome: "won" | "lost"; note?: string },
) {
	const row = await loadDispute(ctx, input.disputeId);
	requireOpen(row);
	const now = ctx.clock.now().toISOString();
	const resolved: DisputeRow = {
		...row,
		status: input.outcome,
		resolvedAt: now,
		notes: [...row.notes, ...(input.note ? [{ body: input.note, author_id: ctx.actor.id, added_at: now }] : [])],
		version: row.version + 1,
	};
	const statements = [];
	if (input.outcome === "lost") {
		const payment = await loadPaymentRow(ctx, row.paymentId);
		const allocations = await loadReopenableAllocations(ctx, payment.id);
		const plan = planReturn(row.amount, unappliedOf(payment), allocations);
		if (!plan) {
			throw new AppError("conflict", `Payment ${payment.id} no longer holds the ${row.amount} in dispute.`, {
				extensions: { payment_id: payment.id },
			});
		}
		const journal = await journalStatements(ctx, {
			entryDate: now.slice(0, 10),
			source: { type: "dispute", id: row.id },
			customerId: row.customerId,
			currency: row.currency,
			description: `Dispute lost on payment ${payment.reference ?? payment.id}`,
			posting: chargebackLost({ fromCredit: plan.fromCredit, fromReceivable: row.amount - plan.fromCredit }),
		});
		resolved.journalEntryId = journal.entryId;
		statements.push(
			...moveAllocations(ctx, payment.id, plan.deallocations, -1),
			ctx.db
				.update(payments)
				.set({ amountReversed: payment.amountReversed + row.amount, updatedAt: now })
				.where(idInTenant(payments, ctx.tenantId, payment.id)),
			...journal.statements,
		);
	}
	await commit(ctx, {
		writes: [
			ctx.db
				.update(disputes)
				.set({
					status: resolved.status,
					resolvedAt: now,
					notes: resolved.notes,
					journalEntryId: resolved.journalEntryId,
					version: resolved.version,
				})
				.where(and(eq(disputes.tenantId, ctx.tenantId), eq(disputes.id, row.id), eq(disputes.status, "open"))),
			...statements,
		],
		changes: [
			{
				action: "dispute.resolved",
				target: { type: "dispute", id: row.id },
				before: presentDispute(row),
				after: presentDispute(resolved),
				answers: { status: 200 },
			},
		],
	});
	return presentDispute(resolved);
}
