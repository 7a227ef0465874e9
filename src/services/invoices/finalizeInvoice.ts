import { runBatch } from "../../db/client";
import type { ServiceContext } from "../../lib/context";
import { callAccount } from "../accounts/accountClient";
import { changeStatements } from "../changeLog";
import { requestIssuedDocument } from "../documents/issuedDocuments";
import { commitVersioned, requireTransition } from "./invoiceErrors";
import { finalizeStatements } from "./invoiceStatements";
import { invoiceDetailFromBatch, invoiceDetailQueries, loadInvoiceDetail, loadInvoiceRow } from "./loadInvoice";
import { presentInvoice, todayOf } from "./presentInvoice";

export async function finalizeInvoice({ ctx, id }: { ctx: ServiceContext; id: string }) {
	const { customerId } = await loadInvoiceRow(ctx, id);
	const invoice = await callAccount(ctx, customerId, (account, request) => account.finalizeInvoice(request), {
		invoiceId: id,
	});
	await requestIssuedDocument(ctx, "invoice", id);
	return invoice;
}

/** Inside the account object: number and issue the draft, with its audit and events, in one batch. */
export async function commitFinalizeInvoice(ctx: ServiceContext, { invoiceId }: { invoiceId: string }) {
	const detail = await loadInvoiceDetail(ctx, invoiceId);
	requireTransition(detail.invoice, "finalize");
	const today = todayOf(ctx.clock.now());
	const finalization = await finalizeStatements(ctx, detail);
	const results = await commitVersioned(() =>
		runBatch(ctx.db, [
			...finalization.statements,
			...changeStatements(ctx, {
				action: "invoice.finalized",
				target: { type: "invoice", id: invoiceId },
				before: presentInvoice(detail, today),
				after: presentInvoice({ ...detail, invoice: finalization.after }, today),
				alsoEmits: finalization.after.status === "paid" ? ["invoice.paid"] : [],
				numberedInBatch: true,
			}),
			...invoiceDetailQueries(ctx, invoiceId),
		]),
	);
	return presentInvoice(invoiceDetailFromBatch(invoiceId, results), today);
}
