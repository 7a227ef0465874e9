import { and, eq } from "drizzle-orm";
import { runBatch } from "../../../src/db/client";
import { invoices } from "../../../src/db/schema";
import { todayOf } from "../../../src/lib/clock";
import type { ServiceContext } from "../../../src/lib/context";
import { presentInvoice } from "../../../src/schemas/invoice";
import { changeStatements } from "../../../src/services/changeLog";
import { requireTransition } from "../../../src/services/invoices/invoiceErrors";
import { loadInvoiceDetail } from "../../../src/services/invoices/loadInvoice";

/** Inside the account object, so a delete cannot interleave with the draft's finalization. */
export async function commitDeleteInvoice(ctx: ServiceContext, { invoiceId }: { invoiceId: string }) {
	const detail = await loadInvoiceDetail(ctx, invoiceId);
	requireTransition(detail.invoice, "delete");
	await runBatch(ctx.db, [
		ctx.db
			.delete(invoices)
			.where(and(eq(invoices.tenantId, ctx.tenantId), eq(invoices.id, invoiceId), eq(invoices.status, "draft"))),
		...changeStatements(ctx, {
			action: "invoice.deleted",
			target: { type: "invoice", id: invoiceId },
			before: presentInvoice(detail, todayOf(ctx.clock.now())),
			after: null,
		}),
	]);
	return null;
}
