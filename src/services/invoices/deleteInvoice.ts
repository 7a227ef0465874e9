import { and, eq } from "drizzle-orm";
import { runBatch } from "../../db/client";
import { invoices } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { callAccount } from "../accounts/accountClient";
import { changeStatements } from "../changeLog";
import { requireTransition } from "./invoiceErrors";
import { loadInvoiceDetail, loadInvoiceRow } from "./loadInvoice";
import { presentInvoice, todayOf } from "./presentInvoice";

export async function deleteInvoice({ ctx, id }: { ctx: ServiceContext; id: string }) {
	const { customerId } = await loadInvoiceRow(ctx, id);
	await callAccount(ctx, customerId, (account, request) => account.deleteInvoice(request), { invoiceId: id });
}

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
