import { summarizeTaxes } from "../../../src/domain/invoiceTotals";
import { invoiceVoided } from "../../../src/domain/ledger";
import { todayOf } from "../../../src/lib/clock";
import type { ServiceContext } from "../../../src/lib/context";
import { committedOnVersion } from "../../../src/lib/etag";
import { presentInvoice } from "../../../src/schemas/invoice";
import { requireTransition } from "../../../src/services/invoices/invoiceErrors";
import { updateInvoiceStatement } from "../../../src/services/invoices/invoiceStatements";
import { loadInvoiceDetail } from "../../../src/services/invoices/loadInvoice";
import { journalStatements } from "../../../src/services/ledger/journalStatements";
import { commit } from "../commit";

type VoidInput = { invoiceId: string; reason: string | null };

/** Inside the account object: cancel an issued invoice nothing was paid or credited on. */
export async function commitVoidInvoice(ctx: ServiceContext, { invoiceId, reason }: VoidInput) {
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
					action: "invoice.voided",
					target: { type: "invoice", id: invoiceId },
					before: presentInvoice(detail, today),
					after: presentInvoice(after, today),
				},
			],
		}),
	);
	return presentInvoice(after, today);
}
