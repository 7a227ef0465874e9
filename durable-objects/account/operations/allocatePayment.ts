import { type Allocation, byText } from "../../../src/domain/allocation";
import { creditApplied, creditUnapplied, type Posting } from "../../../src/domain/ledger";
import type { ServiceContext } from "../../../src/lib/context";
import { AppError, fieldInvalid } from "../../../src/lib/errors";
import { newId } from "../../../src/lib/ids";
import { type AllocateInput, type AllocationRow, presentPayment, unappliedOf } from "../../../src/schemas/payment";
import { journalStatements } from "../../../src/services/ledger/journalStatements";
import { loadAllocations, loadPaymentRow, loadReopenableAllocations } from "../../../src/services/payments/loadPayment";
import { payableInvoice } from "../../../src/services/payments/openInvoices";
import { moveAllocations } from "../../../src/services/payments/paymentStatements";
import { commit } from "../commit";

type AllocateRequest = AllocateInput & { paymentId: string };

/**
 * Inside the account object: takes allocations back first, then allocates, never more than the
 * payment has unapplied nor more than an invoice owes. The net movement of customer credit posts once.
 */
export async function commitAllocatePayment(ctx: ServiceContext, input: AllocateRequest) {
	const payment = await loadPaymentRow(ctx, input.paymentId);
	const [allocations, reopenable] = await Promise.all([
		loadAllocations(ctx, payment.id),
		loadReopenableAllocations(ctx, payment.id),
	]);
	const released = input.unallocate.reduce((sum, u) => sum + u.amount, 0);
	input.unallocate.forEach((u, i) => {
		// Money on a voided or written-off invoice stays there.
		const current = reopenable.find((a) => a.invoiceId === u.invoice_id)?.amount ?? 0;
		if (u.amount > current) {
			throw fieldInvalid(
				"body",
				`unallocate.${i}.amount`,
				`exceeds the ${current} that can be taken back from ${u.invoice_id}`,
			);
		}
	});
	const requested = input.allocate.reduce((sum, a) => sum + a.amount, 0);
	const available = unappliedOf(payment) + released;
	if (requested > available) {
		throw new AppError("conflict", `The payment has ${available} unapplied; ${requested} was requested.`, {
			errors: [{ location: "body", field: "allocate", message: `exceeds the ${available} available` }],
			extensions: { available },
		});
	}
	for (const [i, a] of input.allocate.entries()) {
		const invoice = await payableInvoice(
			ctx,
			a.invoice_id,
			payment.customerId,
			payment.currency,
			`allocate.${i}.invoice_id`,
		);
		const reopened = input.unallocate.filter((u) => u.invoice_id === a.invoice_id).reduce((s, u) => s + u.amount, 0);
		if (a.amount > invoice.balance + reopened) {
			throw fieldInvalid(
				"body",
				`allocate.${i}.amount`,
				`exceeds the invoice's balance of ${invoice.balance + reopened}`,
			);
		}
	}
	const net = requested - released;
	const posting: Posting | null = net > 0 ? creditApplied(net) : net < 0 ? creditUnapplied(-net) : null;
	const journal = posting
		? await journalStatements(ctx, {
				entryDate: ctx.clock.now().toISOString().slice(0, 10),
				source: { type: "payment", id: payment.id },
				customerId: payment.customerId,
				currency: payment.currency,
				description: `Payment ${payment.reference ?? payment.id} reallocated`,
				posting,
			})
		: null;
	const before = presentPayment(payment, allocations);
	const now = ctx.clock.now().toISOString();
	const taken = input.unallocate.map((u) => ({ invoiceId: u.invoice_id, amount: u.amount }));
	const added = input.allocate.map((a) => ({ invoiceId: a.invoice_id, amount: a.amount, id: newId("allocation") }));
	const rows = allocationsAfter(allocations, { taken, added }, { ...payment, now });
	const after = presentPayment({ ...payment, amountAllocated: rows.reduce((sum, a) => sum + a.amount, 0) }, rows);
	await commit(ctx, {
		writes: [...moveAllocations(ctx, payment.id, taken, -1), ...moveAllocations(ctx, payment.id, added, 1)],
		journal,
		changes: [
			{
				action: "payment.allocated",
				target: { type: "payment", id: payment.id },
				before,
				after: { allocate: input.allocate, unallocate: input.unallocate },
				answers: { status: 200, body: after },
			},
		],
	});
	return after;
}

/**
 * The payment's allocation rows as its batch leaves them (`moveAllocations`), in `loadAllocations`' order:
 * what is taken back comes off its invoice's row, then what is added goes onto it, or onto a new row.
 */
function allocationsAfter(
	rows: readonly AllocationRow[],
	{ taken, added }: { taken: readonly Allocation[]; added: readonly (Allocation & { id: string })[] },
	{ tenantId, id: paymentId, now }: { tenantId: string; id: string; now: string },
): AllocationRow[] {
	const after = rows.map((row) => ({ ...row }));
	const onto = (invoiceId: string) => after.find((row) => row.invoiceId === invoiceId);
	for (const move of taken) {
		const row = onto(move.invoiceId);
		if (row) Object.assign(row, { amount: row.amount - move.amount, updatedAt: now });
	}
	for (const move of added) {
		const row = onto(move.invoiceId);
		if (row) Object.assign(row, { amount: row.amount + move.amount, updatedAt: now });
		else after.push({ ...move, tenantId, paymentId, createdAt: now, updatedAt: now });
	}
	return after.sort((a, b) => byText(a.createdAt, b.createdAt) || byText(a.id, b.id));
}
