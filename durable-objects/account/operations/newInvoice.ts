import type { BatchItem } from "drizzle-orm/batch";
import { runBatch } from "../../../src/db/client";
import { todayOf } from "../../../src/lib/clock";
import type { ServiceContext } from "../../../src/lib/context";
import { refusalOf } from "../../../src/lib/dbErrors";
import { AppError } from "../../../src/lib/errors";
import { type InvoiceDetail, invoiceCreated, presentInvoice } from "../../../src/schemas/invoice";
import type { Change } from "../../../src/services/changeLog";
import {
	finalizeStatements,
	type Issuing,
	insertInvoiceStatements,
} from "../../../src/services/invoices/invoiceStatements";
import { commitStatements } from "../commit";
import type { Statements } from "../operationQueue";

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
 * Persists a built draft; with `finalize` (only inside the account object) issues it in the same batch.
 * With `answersRequest` the invoice is what the request answers with: the batch stores that answer for
 * the request's Idempotency-Key. The invoice is presented as written: only its number, the database's to
 * assign, is read back (and set into the stored answer by the batch itself).
 */
export async function commitNewInvoice(
	ctx: ServiceContext,
	{
		detail,
		finalize,
		answersRequest = false,
		check,
		send = (statements) => runBatch(ctx.db, statements),
	}: {
		detail: InvoiceDetail;
		finalize: boolean;
		answersRequest?: boolean;
		/** A statement the batch runs first, to refuse it (an account object's `unchangedSince`). */
		check?: BatchItem<"sqlite">;
		/** Commits the batch: as one of its own, or handed over to commit in a group (an object's `Turn`). */
		send?: (statements: Statements) => Promise<unknown[]>;
	},
	issuing?: Issuing,
) {
	const { issued, presented, statements, changes } = await newInvoiceStatements(ctx, detail, finalize, issuing);
	// The last change's after is the invoice as presented (its number set by the batch): the answer.
	const answering = answersRequest ? changes.length - 1 : -1;
	const recorded = changes.map((change, i) =>
		i === answering ? { ...change, answers: invoiceCreated(presented) } : change,
	);
	const written = commitStatements(ctx, { check, writes: statements, changes: recorded });
	const results = await runInvoiceBatch(detail, () => send(written));
	if (!issued) return presented;
	const [numbered] = results[written.indexOf(issued.issue)] as { number: string | null }[];
	return { ...presented, number: numbered?.number ?? null };
}

/** Runs an invoice's batch; a second invoice from one import line is a conflict, not a failure. */
async function runInvoiceBatch(detail: InvoiceDetail, run: () => Promise<unknown[]>) {
	try {
		return await run();
	} catch (error) {
		const sourceRef = detail.invoice.sourceRef;
		if (sourceRef !== null && refusalOf(error) === "duplicate") {
			throw new AppError("conflict", `An invoice from ${sourceRef} exists already.`, {
				extensions: { source_ref: sourceRef },
			});
		}
		throw error;
	}
}
