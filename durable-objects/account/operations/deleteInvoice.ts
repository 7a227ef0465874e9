import { and, eq } from "drizzle-orm";
import { invoices } from "../../../src/db/schema";
import { idInTenant } from "../../../src/db/scope";
import { todayOf } from "../../../src/lib/clock";
import type { ServiceContext } from "../../../src/lib/context";
import { presentInvoice } from "../../../src/schemas/invoice";
import { requireTransition } from "../../../src/services/invoices/invoiceErrors";
import { loadInvoiceDetail } from "../../../src/services/invoices/loadInvoice";
import { commit } from "../commit";

/** Inside the account object, so a delete cannot interleave with the draft's finalization. */
export async function commitDeleteInvoice(ctx: ServiceContext, { invoiceId }: { invoiceId: string }) {
	const detail = await loadInvoiceDetail(ctx, invoiceId);
	requireTransition(detail.invoice, "delete");
	await commit(ctx, {
		writes: [
			ctx.db.delete(invoices).where(and(idInTenant(invoices, ctx.tenantId, invoiceId), eq(invoices.status, "draft"))),
		],
		changes: [
			{
				action: "invoice.deleted",
				target: { type: "invoice", id: invoiceId },
				before: presentInvoice(detail, todayOf(ctx.clock.now())),
				after: null,
				answers: { status: 204, body: null },
			},
		],
	});
	return null;
}
