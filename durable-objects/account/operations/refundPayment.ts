import { and, eq } from "drizzle-orm";
import { payments, refunds } from "../../../src/db/schema";
import { idInTenant } from "../../../src/db/scope";
import { planReturn } from "../../../src/domain/allocation";
import { refundIssued } from "../../../src/domain/ledger";
import type { ServiceContext } from "../../../src/lib/context";
import { AppError } from "../../../src/lib/errors";
import { newId } from "../../../src/lib/ids";
import { presentRefund, type RefundInput, type RefundRow } from "../../../src/schemas/payment";
import { journalStatements } from "../../../src/services/ledger/journalStatements";
import { loadPaymentRow, loadReopenableAllocations } from "../../../src/services/payments/loadPayment";
import { moveAllocations } from "../../../src/services/payments/paymentStatements";
import { commit } from "../commit";

type RefundRequest = RefundInput & { paymentId: string; requestKey: string | null };

/**
 * Inside the account object: pays money back out of unapplied credit first, then off the payment's
 * allocations (reopening those invoices), never more than is still refundable.
 */
export async function commitRefundPayment(ctx: ServiceContext, input: RefundRequest) {
	if (input.requestKey) {
		const earlier = await ctx.db
			.select()
			.from(refunds)
			.where(and(eq(refunds.tenantId, ctx.tenantId), eq(refunds.requestKey, input.requestKey)))
			.get();
		if (earlier) return presentRefund(earlier);
	}
	const payment = await loadPaymentRow(ctx, input.paymentId);
	const allocations = await loadReopenableAllocations(ctx, payment.id);
	const refundable = payment.amount - payment.amountRefunded - payment.amountReversed;
	const amount = input.amount ?? refundable;
	if (amount <= 0 || amount > refundable) {
		throw new AppError(
			"conflict",
			`At most ${refundable} of payment ${payment.id} can be refunded; ${amount} was requested.`,
			{
				errors: [{ location: "body", field: "amount", message: `exceeds the refundable ${refundable}` }],
				extensions: { refundable },
			},
		);
	}
	const unapplied = payment.amount - payment.amountAllocated - payment.amountRefunded - payment.amountReversed;
	const plan = planReturn(amount, unapplied, allocations, input.invoice_id);
	if (!plan) {
		throw new AppError(
			"conflict",
			`Payment ${payment.id} cannot return ${amount}: money applied to voided or written-off invoices stays there${input.invoice_id ? `, and ${input.invoice_id} holds less` : ""}.`,
			{ errors: [{ location: "body", field: "amount", message: "exceeds what can be taken back" }] },
		);
	}
	const fromInvoices = amount - plan.fromCredit;
	const now = ctx.clock.now().toISOString();
	const journal = await journalStatements(ctx, {
		entryDate: now.slice(0, 10),
		source: { type: "refund", id: payment.id },
		customerId: payment.customerId,
		currency: payment.currency,
		description: `Refund of payment ${payment.reference ?? payment.id}`,
		posting: refundIssued({ fromCredit: plan.fromCredit, fromReceivable: fromInvoices }),
	});
	const refund: RefundRow = {
		id: newId("refund"),
		tenantId: ctx.tenantId,
		paymentId: payment.id,
		customerId: payment.customerId,
		invoiceId: input.invoice_id ?? null,
		amount,
		currency: payment.currency,
		fromCredit: plan.fromCredit,
		fromInvoices,
		reason: input.reason ?? null,
		method: input.method ?? null,
		status: "succeeded",
		requestKey: input.requestKey,
		journalEntryId: journal.entryId,
		createdAt: now,
	};
	await commit(ctx, {
		writes: [
			...moveAllocations(ctx, payment.id, plan.deallocations, -1),
			ctx.db
				.update(payments)
				.set({ amountRefunded: payment.amountRefunded + amount, updatedAt: now })
				.where(idInTenant(payments, ctx.tenantId, payment.id)),
			ctx.db.insert(refunds).values(refund),
		],
		journal,
		changes: [
			{
				action: "payment.refunded",
				target: { type: "payment", id: payment.id },
				before: { amount_refunded: payment.amountRefunded },
				after: presentRefund(refund),
				answers: { status: 201, location: `/v1/billing/refunds/${refund.id}` },
			},
		],
	});
	return presentRefund(refund);
}
