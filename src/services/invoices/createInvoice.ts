import type { BatchItem } from "drizzle-orm/batch";
import { runBatch } from "../../db/client";
import type { ServiceContext } from "../../lib/context";
import { isUniqueViolation } from "../../lib/dbErrors";
import { AppError, fieldInvalid } from "../../lib/errors";
import {
	type Answered,
	answeringInBatch,
	answerKey,
	createdResponse,
	KEY_TAKEN,
	type KeyTerms,
	keyInUse,
	type RequestKey,
	type StoredResponse,
} from "../../lib/idempotency";
import { newId } from "../../lib/ids";
import type { InvoiceCreateInput, InvoiceResource } from "../../schemas/invoice";
import { callAccountAnswering } from "../accounts/accountClient";
import {
	type AccountMemory,
	type AccountState,
	fromMemoryOr,
	stateFrom,
	stateQueries,
	unchangedSince,
} from "../accounts/accountState";
import { type Change, changeStatements } from "../changeLog";
import { customerRowQuery } from "../customers/loadCustomer";
import { requestIssuedDocument } from "../documents/issuedDocuments";
import { buildDraft } from "./buildInvoice";
import { finalizeStatements, type Issuing, insertInvoiceStatements, issuingWith } from "./invoiceStatements";
import type { InvoiceDetail } from "./loadInvoice";
import { presentInvoice, todayOf } from "./presentInvoice";

async function invoicedCustomer(ctx: ServiceContext, customerId: string) {
	const [[customer]] = await ctx.db.batch([customerRowQuery(ctx, customerId)]);
	return customer ?? missingCustomer(customerId);
}

const missingCustomer = (customerId: string) => {
	throw fieldInvalid("body", "customer_id", `no customer '${customerId}' exists`);
};

/**
 * Creates a draft, or with `finalize` creates and issues it in one batch inside the customer's account
 * object (issuing changes the receivable). `sourceRef` makes an import line land at most once.
 */
export async function createInvoice({
	ctx,
	input,
	sourceRef = null,
	idempotencyKey,
}: {
	ctx: ServiceContext;
	input: InvoiceCreateInput;
	sourceRef?: string | null;
	/** The request's Idempotency-Key: the invoice's commit stores the answer to it in the same batch. */
	idempotencyKey?: RequestKey;
}) {
	if (input.finalize) {
		// The account object reads the customer with what issuing needs: no round trip of its own here.
		const invoice = await callAccountAnswering(
			ctx,
			input.customer_id,
			(account, request) => account.createFinalizedInvoice(request),
			{ input, sourceRef },
			idempotencyKey,
		);
		if (invoice.id) await requestIssuedDocument(ctx, "invoice", invoice.id);
		return invoice;
	}
	const { customer_id, finalize, ...fields } = input;
	return answeringInBatch(ctx.db, idempotencyKey, async (key) => {
		const detail = buildDraft(ctx, await invoicedCustomer(ctx, customer_id), fields, sourceRef);
		return commitNewInvoice(ctx, { detail, finalize: false, key });
	});
}

/**
 * Inside the account object. When the object remembers the account (the customer, the tenant's number
 * format and chart), the invoice commits in one round trip, checked against what it remembers;
 * otherwise, or when that check or the key refuses it, whether the request's Idempotency-Key is taken,
 * the customer and what issuing reads go in one round trip, and the commit in one more.
 */
export async function commitCreateFinalizedInvoice(
	ctx: ServiceContext,
	{ input, sourceRef, key }: { input: InvoiceCreateInput; sourceRef: string | null; key?: KeyTerms },
	memory: AccountMemory,
): Promise<Answered<InvoiceResource>> {
	const { customer_id, finalize, ...fields } = input;
	const issue = async (state: AccountState, check?: BatchItem<"sqlite">) => {
		const detail = buildDraft(ctx, state.customer, fields, sourceRef);
		const issuing = issuingWith(state.numberFormat, state.chart);
		const invoice = await commitNewInvoice(ctx, { detail, finalize: true, key, check }, issuing);
		// The customer owes one more invoice: the next payment reads the open ones again.
		state.open.clear();
		memory.state = state;
		return { value: invoice, keyAnswered: key !== undefined };
	};
	return fromMemoryOr(
		memory,
		(state) => issue(state, unchangedSince(ctx, state)),
		async () => {
			const [keyTaken, ...stateRows] = await ctx.db.batch([keyInUse(ctx.db, key), ...stateQueries(ctx, customer_id)]);
			if (keyTaken[0]) return KEY_TAKEN;
			return issue(stateFrom(stateRows) ?? missingCustomer(customer_id));
		},
	);
}

/** The HTTP answer to a created invoice, as sent and as stored for its Idempotency-Key. */
export const invoiceCreatedResponse = (invoice: InvoiceResource): StoredResponse =>
	createdResponse(`/v1/billing/invoices/${invoice.id}`, invoice, invoice.version);

/**
 * The statements that persist a built draft and, with `finalize`, issue it in the same batch
 * (`issuing`: what issuing reads, when the caller read it already), and the changes to record after
 * them in the batch (`changeStatements`: a caller writing several invoices records all their changes at once).
 */
export async function newInvoiceStatements(
	ctx: ServiceContext,
	detail: InvoiceDetail,
	finalize: boolean,
	issuing?: Issuing,
) {
	const today = todayOf(ctx.clock.now());
	const finalizing = finalize ? await finalizeStatements(ctx, detail, issuing) : null;
	const draft = presentInvoice(detail, today);
	const issued = finalizing ? presentInvoice({ ...detail, invoice: finalizing.after }, today) : null;
	const created: Change = {
		action: "invoice.created",
		target: { type: "invoice", id: detail.invoice.id },
		before: null,
		after: draft,
	};
	return {
		/** How issuing writes the invoice (its row but for the number, which the batch assigns); null for a draft. */
		issued: finalizing,
		/** The invoice as the batch leaves it, presented (issued: but for its number). */
		presented: issued ?? draft,
		statements: [...insertInvoiceStatements(ctx, detail), ...(finalizing?.statements ?? [])],
		changes: finalizing
			? [
					created,
					{
						action: "invoice.finalized",
						target: { type: "invoice", id: detail.invoice.id },
						before: draft,
						after: issued,
						alsoEmits: finalizing.after.status === "paid" ? ["invoice.paid"] : [],
						numberedInBatch: true,
					},
				]
			: [created],
	};
}

/**
 * Persists a built draft; with `finalize` (only inside the account object) issues it in the same batch,
 * which also stores the answer to the request's Idempotency-Key (`key`). The invoice is presented as
 * written: only its number, the database's to assign, is read back (and set into the stored answer by
 * the batch itself).
 */
export async function commitNewInvoice(
	ctx: ServiceContext,
	{
		detail,
		finalize,
		key,
		check,
	}: {
		detail: InvoiceDetail;
		finalize: boolean;
		key?: KeyTerms;
		/** A statement the batch runs first, to refuse it (an account object's `unchangedSince`). */
		check?: BatchItem<"sqlite">;
	},
	issuing?: Issuing,
) {
	const { issued, presented, statements, changes } = await newInvoiceStatements(ctx, detail, finalize, issuing);
	// The last change's after is the invoice as presented (its number set by the batch): the stored answer
	// names that audit row. Ids are taken in the changes' order, which is the audit log's.
	const recorded = changes.map((change) => ({ ...change, auditId: newId("audit") }));
	const presentedIn = recorded.at(-1)?.auditId;
	const written = [
		...(check ? [check] : []),
		...statements,
		...changeStatements(ctx, ...recorded),
		...(key ? [answerKey(ctx.db, key, invoiceCreatedResponse(presented), presentedIn)] : []),
	];
	const results = await runInvoiceBatch(ctx, detail, written);
	if (!issued) return presented;
	const [numbered] = results[written.indexOf(issued.issue)] as { number: string | null }[];
	return { ...presented, number: numbered?.number ?? null };
}

/** Runs an invoice's batch; a second invoice from one import line is a conflict, not a failure. */
async function runInvoiceBatch(ctx: ServiceContext, detail: InvoiceDetail, statements: BatchItem<"sqlite">[]) {
	try {
		return await runBatch(ctx.db, statements);
	} catch (error) {
		const sourceRef = detail.invoice.sourceRef;
		if (sourceRef !== null && isUniqueViolation(error)) {
			throw new AppError("conflict", `An invoice from ${sourceRef} exists already.`, {
				extensions: { source_ref: sourceRef },
			});
		}
		throw error;
	}
}

/** The same computation as creation, nothing persisted; `finalize` previews the issued figures. */
export async function previewInvoice({ ctx, input }: { ctx: ServiceContext; input: InvoiceCreateInput }) {
	const { customer_id, finalize, ...fields } = input;
	const customer = await invoicedCustomer(ctx, customer_id);
	const detail = buildDraft(ctx, customer, fields);
	const today = todayOf(ctx.clock.now());
	if (!finalize) return presentInvoice(detail, today, true);
	const { after } = await finalizeStatements(ctx, detail);
	return presentInvoice({ ...detail, invoice: after }, today, true);
}
