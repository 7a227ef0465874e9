import { invoiceWrittenOff } from "../../../src/domain/ledger";
import { todayOf } from "../../../src/lib/clock";
import type { ServiceContext } from "../../../src/lib/context";
import { committedOnVersion } from "../../../src/lib/etag";
import { presentInvoice } from "../../../src/schemas/invoice";
import { requireTransition } from "../../../src/services/invoices/invoiceErrors";
import { updateInvoiceStatement } from "../../../src/services/invoices/invoiceStatements";
import { loadInvoiceDetail } from "../../../src/services/invoices/loadInvoice";
import { journalStatements } from "../../../src/services/ledger/journalStatements";
import { commit } from "../commit";

type WriteOffInput = { invoiceId: string; reason: string };

/** Inside the account object: write off what is still owed, closing the invoice. */
export async function commitWriteOffInvoice(ctx: ServiceContext, { invoiceId, reason }: WriteOffInput) {
	const detail = await loadInvoiceDetail(ctx, invoiceId);
	const status = requireTransition(detail.invoice, "write_off");
	const today = todayOf(ctx.clock.now());
	const now = ctx.clock.now().toISOString();
	const changes = {
		status,
		amountWrittenOff: detail.invoice.amountWrittenOff + detail.invoice.balance,
		balance: 0,
		writtenOffAt: now,
		writeOffReason: reason,
	};
	const journal = await journalStatements(ctx, {
		entryDate: today,
		source: { type: "invoice", id: invoiceId },
		customerId: detail.invoice.customerId,
		currency: detail.invoice.currency,
		description: `Invoice ${detail.invoice.number} written off: ${reason}`,
		posting: invoiceWrittenOff(detail.invoice.balance),
	});
	const after = {
		...detail,
		invoice: { ...detail.invoice, ...changes, version: detail.invoice.version + 1, updatedAt: now },
	};
	await committedOnVersion("invoice", () =>
		commit(ctx, {
			writes: [updateInvoiceStatement(ctx, detail.invoice, changes)],
			journal,
			changes: [
				{
					action: "invoice.written_off",
					target: { type: "invoice", id: invoiceId },
					before: presentInvoice(detail, today),
					after: presentInvoice(after, today),
				},
			],
		}),
	);
	return presentInvoice(after, today);
}
