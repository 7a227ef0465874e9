import { renderInvoicePdf } from "../../documents/invoicePdf";
import type { Env } from "../../env";
import type { ServiceContext } from "../../lib/context";
import { AppError } from "../../lib/errors";
import type { JobMessage } from "../../schemas/job";
import { loadCreditNote } from "../creditNotes/creditNotes";
import { loadInvoiceDetail } from "../invoices/loadInvoice";
import { pdfFooter } from "../templates/templates";
import type { FannedOutEvent } from "../webhooks/fanOut";
import { creditNoteDocument, invoiceDocument } from "./invoiceDocuments";
import { loadTenantRow } from "./parties";
import { type DocumentRow, findDocument, storeDocument } from "./storedDocuments";

export type IssuedKind = "invoice" | "credit_note";

/** A PDF to answer with: the stored file's stream (with its SHA-256 as ETag), or a draft's bytes. */
export type PdfFile = { body: ReadableStream | Uint8Array; etag: string | null; filename: string };

async function renderIssued(ctx: ServiceContext, kind: IssuedKind, sourceId: string): Promise<Uint8Array> {
	const tenant = await loadTenantRow(ctx);
	if (kind === "invoice") {
		const detail = await loadInvoiceDetail(ctx, sourceId);
		if (detail.invoice.status === "draft")
			throw new AppError("invalid_state", "A draft has no issued document; it is rendered on request.");
		return renderInvoicePdf(await invoiceDocument(ctx, tenant, detail, await pdfFooter(ctx, tenant, "invoice")));
	}
	const { row } = await loadCreditNote(ctx, sourceId);
	const invoice = await loadInvoiceDetail(ctx, row.invoiceId);
	return renderInvoicePdf(
		await creditNoteDocument(ctx, tenant, row, invoice, await pdfFooter(ctx, tenant, "credit_note")),
	);
}

/** The issued document's stored file, rendering and storing it first when the queue has not yet. */
export async function ensureIssuedDocument(
	ctx: ServiceContext,
	kind: IssuedKind,
	sourceId: string,
): Promise<DocumentRow> {
	return (
		(await findDocument(ctx, kind, sourceId)) ??
		storeDocument(ctx, kind, sourceId, await renderIssued(ctx, kind, sourceId))
	);
}

export async function storedFile(ctx: ServiceContext, row: DocumentRow, filename: string): Promise<PdfFile> {
	const object = await ctx.env.FILES.get(row.r2Key);
	if (!object) throw new Error(`the stored document ${row.r2Key} is missing`);
	return { body: object.body, etag: `"${row.sha256}"`, filename };
}

/** An invoice's PDF: a draft's rendered now and watermarked, an issued one's the immutable stored file. */
export async function invoicePdf({ ctx, id }: { ctx: ServiceContext; id: string }): Promise<PdfFile> {
	const detail = await loadInvoiceDetail(ctx, id);
	if (detail.invoice.status === "draft") {
		const tenant = await loadTenantRow(ctx);
		const document = await invoiceDocument(ctx, tenant, detail, await pdfFooter(ctx, tenant, "invoice"));
		return { body: await renderInvoicePdf(document), etag: null, filename: `draft-${id}.pdf` };
	}
	return storedFile(ctx, await ensureIssuedDocument(ctx, "invoice", id), `${detail.invoice.number}.pdf`);
}

export async function creditNotePdf({ ctx, id }: { ctx: ServiceContext; id: string }): Promise<PdfFile> {
	const { row } = await loadCreditNote(ctx, id);
	return storedFile(ctx, await ensureIssuedDocument(ctx, "credit_note", id), `${row.number}.pdf`);
}

/**
 * Asks the jobs queue to render and store a just-issued document. A lost message costs nothing but
 * time: the first download renders and stores it instead.
 */
/** The events whose document is issued with them: the queue renders and stores it once they commit. */
const ISSUING_EVENTS: Readonly<Record<string, IssuedKind>> = {
	"invoice.finalized": "invoice",
	"credit_note.issued": "credit_note",
};

/**
 * Asks the jobs queue to render the documents that committed events issued (an invoice finalized, a credit
 * note issued), whichever operation issued them. A message lost here costs nothing but time: the first
 * download renders and stores the file itself.
 */
export async function requestIssuedDocuments(env: Env, events: readonly FannedOutEvent[]) {
	const messages = events.flatMap((event) => {
		const document = ISSUING_EVENTS[event.type];
		if (!document) return [];
		const body: Extract<JobMessage, { kind: "render_document" }> = {
			v: 1,
			kind: "render_document",
			tenant_id: event.tenantId,
			document,
			source_id: event.resourceId,
		};
		return [{ body }];
	});
	for (let i = 0; i < messages.length; i += QUEUE_BATCH) await env.JOBS.sendBatch(messages.slice(i, i + QUEUE_BATCH));
}

/** Queues take at most 100 messages per sendBatch. */
const QUEUE_BATCH = 100;
