import type { BatchItem } from "drizzle-orm/batch";
import { todayOf } from "../../../src/lib/clock";
import type { ServiceContext } from "../../../src/lib/context";
import { committedOnVersion } from "../../../src/lib/etag";
import { type InvoiceDetail, type InvoiceRow, presentInvoice } from "../../../src/schemas/invoice";
import { updateInvoiceStatement } from "../../../src/services/invoices/invoiceStatements";
import { commit } from "../commit";

/**
 * Closes an issued invoice (void, write-off): its row changed on the version read, with the journal that
 * books it and the change recorded; answers the invoice as closed.
 */
export async function closeInvoice(
	ctx: ServiceContext,
	detail: InvoiceDetail,
	{
		changes,
		journal,
		action,
	}: { changes: Partial<InvoiceRow>; journal: { statements: BatchItem<"sqlite">[] } | null; action: string },
) {
	const today = todayOf(ctx.clock.now());
	const after = {
		...detail,
		invoice: {
			...detail.invoice,
			...changes,
			version: detail.invoice.version + 1,
			updatedAt: ctx.clock.now().toISOString(),
		},
	};
	await committedOnVersion("invoice", () =>
		commit(ctx, {
			writes: [updateInvoiceStatement(ctx, detail.invoice, changes)],
			journal,
			changes: [
				{
					action,
					target: { type: "invoice", id: detail.invoice.id },
					before: presentInvoice(detail, today),
					after: presentInvoice(after, today),
					answers: { status: 200 },
				},
			],
		}),
	);
	return presentInvoice(after, today);
}
