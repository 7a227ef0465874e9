import { invoiceWrittenOff } from "../../../src/domain/ledger";
import { todayOf } from "../../../src/lib/clock";
import type { ServiceContext } from "../../../src/lib/context";
import { requireTransition } from "../../../src/services/invoices/invoiceErrors";
import { loadInvoiceDetail } from "../../../src/services/invoices/loadInvoice";
import { journalStatements } from "../../../src/services/ledger/journalStatements";
import type { AccountInputs } from "../contract";
import { closeInvoice } from "./closeInvoice";

/** Inside the account object: write off what is still owed, closing the invoice. */
export async function commitWriteOffInvoice(
	ctx: ServiceContext,
	{ invoiceId, reason }: AccountInputs["writeOffInvoice"],
) {
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
	return closeInvoice(ctx, detail, { changes, journal, action: "invoice.written_off" });
}
