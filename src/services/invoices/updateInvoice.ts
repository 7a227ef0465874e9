import { and, eq } from "drizzle-orm";
import { runBatch } from "../../db/client";
import { invoiceLines } from "../../db/schema";
import { todayOf } from "../../lib/clock";
import type { ServiceContext } from "../../lib/context";
import { fieldInvalid } from "../../lib/errors";
import { committedOnVersion, requireVersion } from "../../lib/etag";
import type { InvoiceCreateInput, InvoiceRow, InvoiceUpdateInput } from "../../schemas/invoice";
import { type InvoiceDetail, presentInvoice } from "../../schemas/invoice";
import { changeStatements } from "../changeLog";
import { lineRows, resolveDueDate } from "./buildInvoice";
import { invoicedCustomer } from "./createInvoice";
import { requireTransition } from "./invoiceErrors";
import { insertLineStatements, updateInvoiceStatement } from "./invoiceStatements";
import { loadInvoiceDetail } from "./loadInvoice";

const keep = <T>(patch: T | undefined, current: T): T => (patch === undefined ? current : patch);

/** New lines for a draft, taxed for its customer as creating it would. */
async function repriced(
	ctx: ServiceContext,
	draft: InvoiceRow,
	items: InvoiceCreateInput["items"],
	issueDate: string | null,
	pricesIncludeTax: boolean | undefined,
) {
	const { customer, taxing } = await invoicedCustomer(ctx, draft.customerId);
	return lineRows(ctx, draft.id, items, { ...taxing, pricesIncludeTax, customer, issueDate });
}

/**
 * Edits a draft under optimistic concurrency. Issued invoices are never edited: they are corrected by
 * voiding or with credit notes. A draft being finalized meanwhile bumps the version, so this fails.
 */
export async function updateInvoice({
	ctx,
	id,
	patch,
	expectedVersion,
}: {
	ctx: ServiceContext;
	id: string;
	patch: Omit<InvoiceUpdateInput, "version">;
	expectedVersion?: number;
}) {
	const detail = await loadInvoiceDetail(ctx, id);
	const current = detail.invoice;
	requireTransition(current, "update");
	requireVersion("invoice", expectedVersion, current.version);
	const issueDate = keep(patch.issue_date, current.issueDate);
	const priced = patch.items ? await repriced(ctx, current, patch.items, issueDate, patch.prices_include_tax) : null;
	const paymentTerms = patch.payment_terms ?? current.paymentTerms;
	// A due date derived from the old terms is recomputed; one set explicitly stays unless changed.
	const explicitDue =
		patch.due_date !== undefined
			? patch.due_date
			: patch.payment_terms || patch.issue_date !== undefined
				? null
				: current.dueDate;
	if (issueDate !== null && explicitDue !== null && explicitDue < issueDate) {
		throw fieldInvalid("body", "due_date", "must not be before issue_date");
	}
	const changes = {
		currency: patch.currency ?? current.currency,
		paymentTerms,
		issueDate,
		dueDate: resolveDueDate(issueDate, explicitDue, paymentTerms),
		memo: keep(patch.memo, current.memo),
		terms: keep(patch.terms, current.terms),
		orderReference: keep(patch.order_reference, current.orderReference),
		contractReference: keep(patch.contract_reference, current.contractReference),
		metadata: patch.metadata ?? current.metadata,
		...(priced
			? {
					subtotal: priced.totals.subtotal,
					discountTotal: priced.totals.discountTotal,
					taxTotal: priced.totals.taxTotal,
					total: priced.totals.total,
					balance: priced.totals.total,
				}
			: {}),
	};
	const now = ctx.clock.now().toISOString();
	const after: InvoiceDetail = {
		...detail,
		invoice: { ...current, ...changes, version: current.version + 1, updatedAt: now },
		lines: priced ? priced.rows : detail.lines,
	};
	const today = todayOf(ctx.clock.now());
	await committedOnVersion("invoice", () =>
		runBatch(ctx.db, [
			// The invoice row first: its version step fails the whole batch if another writer got there first.
			updateInvoiceStatement(ctx, current, changes),
			...(priced
				? [
						ctx.db
							.delete(invoiceLines)
							.where(and(eq(invoiceLines.tenantId, ctx.tenantId), eq(invoiceLines.invoiceId, id))),
						...insertLineStatements(ctx, priced.rows),
					]
				: []),
			...changeStatements(ctx, {
				action: "invoice.updated",
				target: { type: "invoice", id },
				before: presentInvoice(detail, today),
				after: presentInvoice(after, today),
				answers: { status: 200, version: after.invoice.version },
			}),
		]),
	);
	return presentInvoice(after, today);
}
