import { and, eq } from "drizzle-orm";
import { runBatch } from "../../db/client";
import { payments } from "../../db/schema";
import { allocateOldestDueFirst } from "../../domain/allocation";
import { paymentReceived } from "../../domain/ledger";
import type { ServiceContext } from "../../lib/context";
import { fieldInvalid } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { type PaymentCreateInput, type PaymentRow, presentPayment } from "../../schemas/payment";
import { callAccount } from "../accounts/accountClient";
import { changeStatements } from "../changeLog";
import { loadCustomer } from "../customers/loadCustomer";
import { journalStatements } from "../ledger/journalStatements";
import { presentPaymentById } from "./loadPayment";
import { openInvoicesOf, payableInvoice } from "./openInvoices";
import { moveAllocations } from "./paymentStatements";

type RecordInput = PaymentCreateInput & { requestKey: string | null };

/** Records money received, inside the customer's account object so it never over-applies. */
export async function recordPayment({
	ctx,
	input,
	requestKey,
}: {
	ctx: ServiceContext;
	input: PaymentCreateInput;
	requestKey: string | null;
}) {
	const customer = await loadCustomer(ctx, input.customer_id).catch(() => null);
	if (!customer) throw fieldInvalid("body", "customer_id", `no customer '${input.customer_id}' exists`);
	return callAccount(ctx, customer.id, (account, request) => account.recordPayment(request), { ...input, requestKey });
}

export async function commitRecordPayment(ctx: ServiceContext, input: RecordInput) {
	if (input.requestKey) {
		// A retry of a payment that committed before its response was lost: answer with what was recorded.
		const earlier = await ctx.db
			.select({ id: payments.id })
			.from(payments)
			.where(and(eq(payments.tenantId, ctx.tenantId), eq(payments.requestKey, input.requestKey)))
			.get();
		if (earlier) return presentPaymentById(ctx, earlier.id);
	}
	const targets = input.invoice_id
		? [await payableInvoice(ctx, input.invoice_id, input.customer_id, input.currency, "invoice_id")]
		: await openInvoicesOf(ctx, input.customer_id, input.currency);
	const plan = allocateOldestDueFirst(input.amount, targets);
	const applied = input.amount - plan.unapplied;
	const now = ctx.clock.now().toISOString();
	const paidAt = input.paid_at ? new Date(input.paid_at).toISOString() : now;
	const payment: PaymentRow = {
		id: newId("payment"),
		tenantId: ctx.tenantId,
		customerId: input.customer_id,
		amount: input.amount,
		currency: input.currency,
		paidAt,
		paymentMethod: input.payment_method,
		reference: input.reference ?? null,
		metadata: input.metadata ?? {},
		amountAllocated: 0,
		amountRefunded: 0,
		amountReversed: 0,
		requestKey: input.requestKey,
		journalEntryId: null,
		createdAt: now,
		updatedAt: now,
	};
	const journal = await journalStatements(ctx, {
		entryDate: paidAt.slice(0, 10),
		source: { type: "payment", id: payment.id },
		customerId: payment.customerId,
		currency: payment.currency,
		description: `Payment ${payment.reference ?? payment.id} received`,
		posting: paymentReceived({
			amount: payment.amount,
			applied,
			// Each receivable leaves the books at the rate it entered them: the difference is realised FX.
			receivables: plan.allocations.map((a) => ({
				amount: a.amount,
				rate: targets.find((t) => t.id === a.invoiceId)?.fxRate ?? null,
			})),
		}),
	});
	payment.journalEntryId = journal.entryId;
	const after = { ...payment, amountAllocated: applied };
	const paidInFull = plan.allocations.filter((a) => targets.find((t) => t.id === a.invoiceId)?.balance === a.amount);
	await runBatch(ctx.db, [
		ctx.db.insert(payments).values(payment),
		...moveAllocations(ctx, payment.id, plan.allocations, 1),
		...journal.statements,
		...changeStatements(ctx, {
			action: "payment.recorded",
			target: { type: "payment", id: payment.id },
			before: null,
			after: presentPayment(
				after,
				plan.allocations.map((a) => ({
					...a,
					id: "",
					tenantId: ctx.tenantId,
					paymentId: payment.id,
					createdAt: now,
					updatedAt: now,
				})),
			),
		}),
		...paidInFull.flatMap((a) =>
			changeStatements(ctx, {
				action: "invoice.paid",
				target: { type: "invoice", id: a.invoiceId },
				before: { balance: a.amount },
				after: { balance: 0, paid_by: payment.id },
			}),
		),
	]);
	return presentPaymentById(ctx, payment.id);
}
