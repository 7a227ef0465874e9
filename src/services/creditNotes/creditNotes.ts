import { and, asc, eq, inArray } from "drizzle-orm";
import { callAccount } from "../../../durable-objects/account/client";
import { byIdChunks } from "../../db/chunks";
import { creditNoteApplications, creditNotes } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import type { ServiceContext } from "../../lib/context";
import { fieldInvalid, notFound } from "../../lib/errors";
import { type CreditNoteCreateInput, type CreditNoteListQuery, presentCreditNote } from "../../schemas/creditNote";
import { documentsOf } from "../documents/storedDocuments";
import { loadInvoiceRow } from "../invoices/loadInvoice";
import { paginate } from "../pagination";

export async function loadCreditNote(ctx: ServiceContext, id: string) {
	const row = await ctx.db
		.select()
		.from(creditNotes)
		.where(idInTenant(creditNotes, ctx.tenantId, id))
		.get();
	if (!row) throw notFound("credit note", id);
	const applications = await ctx.db
		.select()
		.from(creditNoteApplications)
		.where(and(eq(creditNoteApplications.tenantId, ctx.tenantId), eq(creditNoteApplications.creditNoteId, id)))
		.orderBy(asc(creditNoteApplications.id));
	return { row, applications };
}

/** A credit note as its own read shows it: with the files stored of it. */
export const presentCreditNoteById = async (ctx: ServiceContext, id: string) => {
	const [{ row, applications }, stored] = await Promise.all([
		loadCreditNote(ctx, id),
		documentsOf(ctx, "credit_note", [id]),
	]);
	return presentCreditNote(row, applications, stored);
};

export async function createCreditNote({
	ctx,
	input,
	requestKey,
}: {
	ctx: ServiceContext;
	input: CreditNoteCreateInput;
	requestKey: string | null;
}) {
	const invoice = await loadInvoiceRow(ctx, input.invoice_id).catch(() => null);
	if (!invoice || (input.customer_id && input.customer_id !== invoice.customerId)) {
		throw fieldInvalid("body", "invoice_id", `no invoice '${input.invoice_id}' of this customer exists`);
	}
	return callAccount(ctx, invoice.customerId, "createCreditNote", { ...input, requestKey });
}

export async function applyCreditNote({
	ctx,
	id,
	invoiceId,
	amount,
}: {
	ctx: ServiceContext;
	id: string;
	invoiceId: string;
	amount?: number;
}) {
	const { row } = await loadCreditNote(ctx, id);
	return callAccount(ctx, row.customerId, "applyCreditNote", {
		creditNoteId: id,
		invoiceId,
		amount,
	});
}

export async function voidCreditNote({ ctx, id }: { ctx: ServiceContext; id: string }) {
	const { row } = await loadCreditNote(ctx, id);
	return callAccount(ctx, row.customerId, "voidCreditNote", { creditNoteId: id });
}

export async function listCreditNotes({ ctx, query }: { ctx: ServiceContext; query: CreditNoteListQuery }) {
	const page = await paginate({
		query,
		idColumn: creditNotes.id,
		run: (p) =>
			ctx.db
				.select()
				.from(creditNotes)
				.where(
					and(
						eq(creditNotes.tenantId, ctx.tenantId),
						query.customer_id ? eq(creditNotes.customerId, query.customer_id) : undefined,
						query.invoice_id ? eq(creditNotes.invoiceId, query.invoice_id) : undefined,
						query.status ? eq(creditNotes.status, query.status) : undefined,
						p.where,
					),
				)
				.orderBy(...p.orderBy)
				.limit(p.limit)
				.offset(p.offset),
		present: (row) => row,
	});
	const ids = page.data.map((n) => n.id);
	const applications = await byIdChunks(ids, (chunk) =>
		ctx.db
			.select()
			.from(creditNoteApplications)
			.where(
				and(eq(creditNoteApplications.tenantId, ctx.tenantId), inArray(creditNoteApplications.creditNoteId, chunk)),
			),
	);
	return {
		...page,
		data: page.data.map((row) =>
			presentCreditNote(
				row,
				applications.filter((a) => a.creditNoteId === row.id),
			),
		),
	};
}
