import { runBatch } from "../../db/client";
import { invoiceWrittenOff } from "../../domain/ledger";
import type { ServiceContext } from "../../lib/context";
import { callAccount } from "../accounts/accountClient";
import { changeStatements } from "../changeLog";
import { journalStatements } from "../ledger/journalStatements";
import { commitVersioned, requireTransition } from "./invoiceErrors";
import { updateInvoiceStatement } from "./invoiceStatements";
import { loadInvoiceDetail, loadInvoiceRow } from "./loadInvoice";
import { presentInvoice, todayOf } from "./presentInvoice";

type WriteOffInput = { invoiceId: string; reason: string };

export async function writeOffInvoice({ ctx, id, reason }: { ctx: ServiceContext; id: string; reason: string }) {
	const { customerId } = await loadInvoiceRow(ctx, id);
	return callAccount(ctx, customerId, (account, request) => account.writeOffInvoice(request), {
		invoiceId: id,
		reason,
	});
}

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
	await commitVersioned(() =>
		runBatch(ctx.db, [
			updateInvoiceStatement(ctx, detail.invoice, changes),
			...journal.statements,
			...changeStatements(ctx, {
				action: "invoice.written_off",
				target: { type: "invoice", id: invoiceId },
				before: presentInvoice(detail, today),
				after: presentInvoice(after, today),
			}),
		]),
	);
	return presentInvoice(after, today);
}
