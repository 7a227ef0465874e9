import { summarizeTaxes } from "../../../src/domain/invoiceTotals";
import { invoiceVoided } from "../../../src/domain/ledger";
import { todayOf } from "../../../src/lib/clock";
import type { ServiceContext } from "../../../src/lib/context";
import { requireTransition } from "../../../src/services/invoices/invoiceErrors";
import { loadInvoiceDetail } from "../../../src/services/invoices/loadInvoice";
import { journalStatements } from "../../../src/services/ledger/journalStatements";
import type { AccountInputs } from "../contract";
import { closeInvoice } from "./closeInvoice";

/** Inside the account object: cancel an issued invoice nothing was paid or credited on. */
export async function commitVoidInvoice(ctx: ServiceContext, { invoiceId, reason }: AccountInputs["voidInvoice"]) {
	const detail = await loadInvoiceDetail(ctx, invoiceId);
	const status = requireTransition(detail.invoice, "void");
	const today = todayOf(ctx.clock.now());
	const now = ctx.clock.now().toISOString();
	const changes = { status, balance: 0, voidedAt: now, voidReason: reason };
	const journal = detail.invoice.postedToGl
		? await journalStatements(ctx, {
				entryDate: today,
				source: { type: "invoice", id: invoiceId },
				customerId: detail.invoice.customerId,
				currency: detail.invoice.currency,
				description: `Invoice ${detail.invoice.number} voided`,
				posting: invoiceVoided({
					...detail.invoice,
					taxLines: summarizeTaxes(detail.lines),
					revenueLines: detail.lines,
				}),
			})
		: null;
	return closeInvoice(ctx, detail, { changes, journal, action: "invoice.voided" });
}
