import type { BatchItem } from "drizzle-orm/batch";
import { todayOf } from "../../../src/lib/clock";
import type { ServiceContext } from "../../../src/lib/context";
import { committedOnVersion } from "../../../src/lib/etag";
import { type InvoiceDetail, presentInvoice } from "../../../src/schemas/invoice";
import { requireTransition } from "../../../src/services/invoices/invoiceErrors";
import { finalizeStatements, type Issuing, issuingWith } from "../../../src/services/invoices/invoiceStatements";
import {
	invoiceDetailFromBatch,
	invoiceDetailQueries,
	loadInvoiceDetail,
} from "../../../src/services/invoices/loadInvoice";
import { commit } from "../commit";
import { type AccountMemory, fromMemoryOr, unchangedSince } from "../memory";

/**
 * Inside the account object: number and issue the draft, with its audit and events, in one batch. When
 * the object remembers the account, issuing takes the tenant's number format and chart from memory,
 * checked against it in the batch, instead of reading them.
 */
export async function commitFinalizeInvoice(
	ctx: ServiceContext,
	{ invoiceId }: { invoiceId: string },
	memory: AccountMemory,
) {
	const detail = await loadInvoiceDetail(ctx, invoiceId);
	requireTransition(detail.invoice, "finalize");
	return fromMemoryOr(
		memory,
		async (state) => {
			const issued = await issue(ctx, detail, issuingWith(state.numberFormat, state.chart), unchangedSince(ctx, state));
			// The customer owes one more invoice: the next payment reads the open ones again.
			state.open.clear();
			return issued;
		},
		() => issue(ctx, detail),
	);
}

async function issue(ctx: ServiceContext, detail: InvoiceDetail, issuing?: Issuing, check?: BatchItem<"sqlite">) {
	const { id } = detail.invoice;
	const today = todayOf(ctx.clock.now());
	const finalization = await finalizeStatements(ctx, detail, issuing);
	const results = await committedOnVersion("invoice", () =>
		commit(ctx, {
			check,
			writes: [],
			journal: finalization,
			changes: [
				{
					action: "invoice.finalized",
					target: { type: "invoice", id },
					before: presentInvoice(detail, today),
					after: presentInvoice({ ...detail, invoice: finalization.after }, today),
					alsoEmits: finalization.after.status === "paid" ? ["invoice.paid"] : [],
					numberedInBatch: true,
					answers: { status: 200 },
				},
			],
			reads: [...invoiceDetailQueries(ctx, id)],
		}),
	);
	return presentInvoice(invoiceDetailFromBatch(id, results), today);
}
