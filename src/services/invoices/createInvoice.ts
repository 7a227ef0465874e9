import { runBatch } from "../../db/client";
import type { ServiceContext } from "../../lib/context";
import { isUniqueViolation } from "../../lib/dbErrors";
import { AppError, fieldInvalid } from "../../lib/errors";
import type { InvoiceCreateInput } from "../../schemas/invoice";
import { callAccount } from "../accounts/accountClient";
import { changeStatements } from "../changeLog";
import { customerRowQuery } from "../customers/loadCustomer";
import { buildDraft } from "./buildInvoice";
import {
	finalizeStatements,
	type Issuing,
	insertInvoiceStatements,
	issuingFrom,
	issuingQueries,
} from "./invoiceStatements";
import { type InvoiceDetail, invoiceDetailFromBatch, invoiceDetailQueries } from "./loadInvoice";
import { presentInvoice, todayOf } from "./presentInvoice";

async function invoicedCustomer(ctx: ServiceContext, customerId: string) {
	const [[customer]] = await ctx.db.batch([customerRowQuery(ctx, customerId)]);
	if (!customer) throw fieldInvalid("body", "customer_id", `no customer '${customerId}' exists`);
	return customer;
}

/**
 * Creates a draft, or with `finalize` creates and issues it in one batch inside the customer's account
 * object (issuing changes the receivable). `sourceRef` makes an import line land at most once.
 */
export async function createInvoice({
	ctx,
	input,
	sourceRef = null,
}: {
	ctx: ServiceContext;
	input: InvoiceCreateInput;
	sourceRef?: string | null;
}) {
	if (input.finalize) {
		// The account object reads the customer with what issuing needs: no round trip of its own here.
		return callAccount(ctx, input.customer_id, (account, request) => account.createFinalizedInvoice(request), {
			input,
			sourceRef,
		});
	}
	const { customer_id, finalize, ...fields } = input;
	const detail = buildDraft(ctx, await invoicedCustomer(ctx, customer_id), fields, sourceRef);
	return commitNewInvoice(ctx, { detail, finalize: false });
}

/** Inside the account object: the customer and what issuing reads in one round trip, then one commit. */
export async function commitCreateFinalizedInvoice(
	ctx: ServiceContext,
	{ input, sourceRef }: { input: InvoiceCreateInput; sourceRef: string | null },
) {
	const { customer_id, finalize, ...fields } = input;
	const [[customer], ...issuingRows] = await ctx.db.batch([customerRowQuery(ctx, customer_id), ...issuingQueries(ctx)]);
	if (!customer) throw fieldInvalid("body", "customer_id", `no customer '${customer_id}' exists`);
	const detail = buildDraft(ctx, customer, fields, sourceRef);
	return commitNewInvoice(ctx, { detail, finalize: true }, issuingFrom(issuingRows));
}

/**
 * The statements that persist a built draft and, with `finalize`, issue it in the same batch
 * (`issuing`: what issuing reads, when the caller read it already).
 */
export async function newInvoiceStatements(
	ctx: ServiceContext,
	detail: InvoiceDetail,
	finalize: boolean,
	issuing?: Issuing,
) {
	const today = todayOf(ctx.clock.now());
	const finalizing = finalize ? await finalizeStatements(ctx, detail, issuing) : null;
	return {
		/** The issued invoice as the batch will write it, but for its number; null for a draft. */
		issued: finalizing?.after ?? null,
		statements: [
			...insertInvoiceStatements(ctx, detail),
			...changeStatements(ctx, {
				action: "invoice.created",
				target: { type: "invoice", id: detail.invoice.id },
				before: null,
				after: presentInvoice(detail, today),
			}),
			...(finalizing
				? [
						...finalizing.statements,
						...changeStatements(ctx, {
							action: "invoice.finalized",
							target: { type: "invoice", id: detail.invoice.id },
							before: presentInvoice(detail, today),
							after: presentInvoice({ ...detail, invoice: finalizing.after }, today),
							alsoEmits: finalizing.after.status === "paid" ? ["invoice.paid"] : [],
							computedAfter: { number: finalizing.assignedNumber },
						}),
					]
				: []),
		],
	};
}

/** Persists a built draft; with `finalize` (only inside the account object) issues it in the same batch. */
export async function commitNewInvoice(
	ctx: ServiceContext,
	{ detail, finalize }: { detail: InvoiceDetail; finalize: boolean },
	issuing?: Issuing,
) {
	const today = todayOf(ctx.clock.now());
	const prepared = await newInvoiceStatements(ctx, detail, finalize, issuing);
	let results: readonly unknown[];
	try {
		// An issued invoice is read back by the same batch: its number is the database's to assign.
		results = await runBatch(ctx.db, [
			...prepared.statements,
			...(prepared.issued ? invoiceDetailQueries(ctx, detail.invoice.id) : []),
		]);
	} catch (error) {
		const sourceRef = detail.invoice.sourceRef;
		if (sourceRef !== null && isUniqueViolation(error)) {
			throw new AppError("conflict", `An invoice from ${sourceRef} exists already.`, {
				extensions: { source_ref: sourceRef },
			});
		}
		throw error;
	}
	return presentInvoice(prepared.issued ? invoiceDetailFromBatch(detail.invoice.id, results) : detail, today);
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
