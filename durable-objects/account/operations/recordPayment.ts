import { and, eq, sql } from "drizzle-orm";
import { insertRows, preparedQuery, runBatch } from "../../../src/db/client";
import { payments } from "../../../src/db/schema";
import { allocateOldestDueFirst, dueOrder, reachedCount } from "../../../src/domain/allocation";
import { paymentReceived } from "../../../src/domain/ledger";
import type { ServiceContext } from "../../../src/lib/context";
import { AppError, fieldInvalid } from "../../../src/lib/errors";
import { keyInUse, keyTaken } from "../../../src/lib/idempotency";
import { newId } from "../../../src/lib/ids";
import type { Payment } from "../../../src/schemas/payment";
import { type PaymentRow, presentPayment } from "../../../src/schemas/payment";
import { journalStatements } from "../../../src/services/ledger/journalStatements";
import { presentPaymentById } from "../../../src/services/payments/loadPayment";
import { openInvoicesQuery, payableInvoice } from "../../../src/services/payments/openInvoices";
import { moveAllocations } from "../../../src/services/payments/paymentStatements";
import { paymentRecorded } from "../../../src/services/payments/recordPayment";
import { commit } from "../commit";
import type { AccountInputs } from "../contract";
import {
	type AccountMemory,
	type AccountState,
	afterAllocations,
	fromMemoryOr,
	stateFrom,
	stateQueries,
	unchangedSince,
} from "../memory";
import type { Statements, Turn } from "../operationQueue";

type RecordInput = AccountInputs["recordPayment"];

const paymentByRequestKey = preparedQuery((db) =>
	db
		.select({ id: payments.id })
		.from(payments)
		.where(and(eq(payments.tenantId, sql.placeholder("tenantId")), eq(payments.requestKey, sql.placeholder("key")))),
);

/**
 * Inside the account object, where time spent is time every other request of the account waits. When
 * the object remembers the account (the customer, the tenant's chart, the open invoices in the
 * payment's currency), the payment is prepared from memory and handed over to commit with whatever
 * else is handed over meanwhile, checked against what it remembers, and the next operation comes in at
 * once (`turn`). Otherwise, or when that check or a key refuses the commit, it waits until nothing is
 * left to commit; the reads it needs go in one round trip (whether the request's Idempotency-Key is taken
 * among them) and the commit in one more. Either way the batch stores the answer for the key, and the
 * response is the payment as the batch writes it.
 */
export async function commitRecordPayment(
	ctx: ServiceContext,
	input: RecordInput,
	memory: AccountMemory,
	turn: Turn,
): Promise<Payment> {
	return fromMemoryOr(
		memory,
		(state) => commitPayment(ctx, input, state, memory, { fromMemory: true, send: turn.commit }),
		() =>
			turn.afresh(() =>
				readAndCommit(ctx, input, (state) =>
					commitPayment(ctx, input, state, memory, { fromMemory: false, send: (batch) => runBatch(ctx.db, batch) }),
				),
			),
		// Usable once a payment in this currency read the open invoices, among them any it names.
		(state) => {
			const open = state.open.get(input.currency);
			return open !== undefined && (!input.invoice_id || open.some((invoice) => invoice.id === input.invoice_id));
		},
	);
}

const paymentByExternalId = preparedQuery((db) =>
	db
		.select({ id: payments.id })
		.from(payments)
		.where(
			and(eq(payments.tenantId, sql.placeholder("tenantId")), eq(payments.externalId, sql.placeholder("externalId"))),
		),
);

/** A payment is recorded once per external id: the caller's second one is refused, naming the first. */
const externalIdTaken = (externalId: string, paymentId: string) =>
	new AppError("conflict", `A payment with external_id '${externalId}' exists already: ${paymentId}.`, {
		errors: [{ location: "body", field: "external_id", message: `is taken by payment ${paymentId}` }],
		extensions: { payment_id: paymentId },
	});

async function readAndCommit(
	ctx: ServiceContext,
	input: RecordInput,
	commit: (state: AccountState) => Promise<Payment>,
): Promise<Payment> {
	const [keyHeld, earlier, sameExternalId, openRows, ...stateRows] = await ctx.db.batch([
		keyInUse(ctx.db, ctx.requestKey),
		paymentByRequestKey(ctx.db, { tenantId: ctx.tenantId, key: input.requestKey ?? "" }),
		paymentByExternalId(ctx.db, { tenantId: ctx.tenantId, externalId: input.external_id ?? "" }),
		openInvoicesQuery(ctx, input.customer_id, input.currency),
		...stateQueries(ctx, input.customer_id),
	]);
	if (keyHeld[0]) throw keyTaken();
	const state = stateFrom(stateRows);
	if (!state) throw fieldInvalid("body", "customer_id", `no customer '${input.customer_id}' exists`);
	// A retry of a payment that committed before its response was lost: answer with what was recorded.
	if (input.requestKey && earlier[0]) return presentPaymentById(ctx, earlier[0].id);
	if (input.external_id && sameExternalId[0]) throw externalIdTaken(input.external_id, sameExternalId[0].id);
	state.open.set(input.currency, openRows.sort(dueOrder));
	if (input.invoice_id && !openRows.some((invoice) => invoice.id === input.invoice_id)) {
		await payableInvoice(ctx, input.invoice_id, input.customer_id, input.currency, "invoice_id");
		throw new Error(`invoice ${input.invoice_id} is payable but not among the open invoices read`);
	}
	return commit(state);
}

/**
 * Records the payment on the customer's open invoices in its currency as `state` has them, and
 * remembers the account as the commit leaves it. `send` commits the batch, which first checks that
 * `state` holds when it is remembered (`fromMemory`).
 */
async function commitPayment(
	ctx: ServiceContext,
	input: RecordInput,
	state: AccountState,
	memory: AccountMemory,
	{ fromMemory, send }: { fromMemory: boolean; send: (batch: Statements) => Promise<unknown> },
): Promise<Payment> {
	const open = state.open.get(input.currency) ?? [];
	// What the payment rests on: the open invoices in due order as far as it reaches (the one it names).
	const reach = input.invoice_id
		? open.findIndex((invoice) => invoice.id === input.invoice_id) + 1
		: reachedCount(input.amount, open);
	const reached = open.slice(0, reach);
	const targets = input.invoice_id ? reached.slice(-1) : reached;
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
		externalId: input.external_id ?? null,
		journalEntryId: null,
		createdAt: now,
		updatedAt: now,
	};
	const journal = await journalStatements(
		ctx,
		{
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
		},
		state.chart,
	);
	payment.journalEntryId = journal.entryId;
	const recorded = presentPayment(
		{ ...payment, amountAllocated: applied },
		plan.allocations.map((a) => ({
			...a,
			id: "",
			tenantId: ctx.tenantId,
			paymentId: payment.id,
			createdAt: now,
			updatedAt: now,
		})),
	);
	const paidInFull = plan.allocations.filter((a) => targets.find((t) => t.id === a.invoiceId)?.balance === a.amount);
	const committed = commit(
		ctx,
		{
			check: fromMemory
				? unchangedSince(ctx, state, {
						currency: input.currency,
						invoices: reached,
						// Money left over in turn means there is no other open invoice: that is checked too.
						bounded: Boolean(input.invoice_id) || plan.unapplied === 0,
					})
				: undefined,
			writes: [...insertRows(ctx.db, payments, [payment]), ...moveAllocations(ctx, payment.id, plan.allocations, 1)],
			journal,
			changes: [
				{
					action: "payment.recorded",
					target: { type: "payment", id: payment.id },
					before: null,
					after: recorded,
					answers: paymentRecorded(recorded),
				},
				...paidInFull.map((a) => ({
					action: "invoice.paid",
					target: { type: "invoice", id: a.invoiceId },
					before: { balance: a.amount },
					after: { balance: 0, paid_by: payment.id },
				})),
			],
		},
		send,
	);
	// Remembered as soon as the batch is sent: the next payment may be prepared on it meanwhile.
	afterAllocations(state, input.currency, plan.allocations);
	memory.state = state;
	await committed.catch((error) => {
		memory.forget();
		throw error;
	});
	return recorded;
}
