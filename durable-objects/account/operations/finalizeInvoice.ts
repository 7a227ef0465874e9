import { todayOf } from "../../../src/lib/clock";
import type { ServiceContext } from "../../../src/lib/context";
import { committedOnVersion } from "../../../src/lib/etag";
import { presentInvoice } from "../../../src/schemas/invoice";
import { requireTransition } from "../../../src/services/invoices/invoiceErrors";
import { finalizeStatements } from "../../../src/services/invoices/invoiceStatements";
import {
	invoiceDetailFromBatch,
	invoiceDetailQueries,
	loadInvoiceDetail,
} from "../../../src/services/invoices/loadInvoice";
import { commit } from "../commit";

/** Inside the account object: number and issue the draft, with its audit and events, in one batch. */
export async function commitFinalizeInvoice(ctx: ServiceContext, { invoiceId }: { invoiceId: string }) {
	const detail = await loadInvoiceDetail(ctx, invoiceId);
	requireTransition(detail.invoice, "finalize");
	const today = todayOf(ctx.clock.now());
	const finalization = await finalizeStatements(ctx, detail);
	const results = await committedOnVersion("invoice", () =>
		commit(ctx, {
			writes: [],
			journal: finalization,
			changes: [
				{
					action: "invoice.finalized",
					target: { type: "invoice", id: invoiceId },
					before: presentInvoice(detail, today),
					after: presentInvoice({ ...detail, invoice: finalization.after }, today),
					alsoEmits: finalization.after.status === "paid" ? ["invoice.paid"] : [],
					numberedInBatch: true,
					answers: { status: 200 },
				},
			],
			reads: [...invoiceDetailQueries(ctx, invoiceId)],
		}),
	);
	return presentInvoice(invoiceDetailFromBatch(invoiceId, results), today);
}
