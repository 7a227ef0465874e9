// An issued invoice's or credit note's e-invoice: mapped from the stored rows, checked against the rules of
// its format before anything is written, rendered once and kept in R2 immutably beside the PDF.
import type { EInvoiceFileFormat } from "../../db/schema";
import { renderCii } from "../../documents/einvoice/cii";
import { embedFacturX } from "../../documents/einvoice/facturx";
import { creditNoteToEInvoice, invoiceToEInvoice, type SellerData } from "../../documents/einvoice/fromInvoice";
import type { EInvoice, EInvoiceFormat } from "../../documents/einvoice/model";
import { preflight } from "../../documents/einvoice/preflight";
import { renderUbl } from "../../documents/einvoice/ubl";
import { renderXRechnung } from "../../documents/einvoice/xrechnung";
import type { ServiceContext } from "../../lib/context";
import { AppError, type FieldError } from "../../lib/errors";
import { loadCreditNote } from "../creditNotes/creditNotes";
import { loadCustomer } from "../customers/loadCustomer";
import { ensureIssuedDocument, type IssuedKind } from "../documents/issuedDocuments";
import { loadTenantRow } from "../documents/parties";
import { type DocumentRow, findDocument, storeDocument } from "../documents/storedDocuments";
import { loadInvoiceDetail } from "../invoices/loadInvoice";

/** The XML syntax each file format carries (Factur-X and ZUGFeRD embed the CII). */
const SYNTAX: Record<EInvoiceFileFormat, EInvoiceFormat> = {
	ubl: "ubl",
	xrechnung: "xrechnung",
	cii: "cii",
	facturx: "cii",
	zugferd: "cii",
};

const RENDER_XML: Record<EInvoiceFormat, (invoice: EInvoice) => string> = {
	ubl: renderUbl,
	xrechnung: renderXRechnung,
	cii: renderCii,
};

type Issued = { model: EInvoice; issuedAt: Date };

/** The EN 16931 model of an issued source; a draft has none. */
export async function issuedEInvoice(ctx: ServiceContext, kind: IssuedKind, id: string): Promise<Issued> {
	const tenant = await loadTenantRow(ctx);
	const seller: SellerData = {
		name: tenant.name,
		legalProfile: tenant.legalProfile,
		originCountry: tenant.taxOriginCountry,
	};
	if (kind === "invoice") {
		const detail = await loadInvoiceDetail(ctx, id);
		if (detail.invoice.status === "draft") {
			throw new AppError("invalid_state", `Invoice ${id} is a draft; only an issued invoice has an e-invoice.`, {
				extensions: { current_status: detail.invoice.status },
			});
		}
		const customer = await loadCustomer(ctx, detail.invoice.customerId);
		return {
			model: invoiceToEInvoice(detail, seller, customer),
			issuedAt: new Date(detail.invoice.finalizedAt ?? detail.invoice.createdAt),
		};
	}
	const { row } = await loadCreditNote(ctx, id);
	const [credited, customer] = await Promise.all([
		loadInvoiceDetail(ctx, row.invoiceId),
		loadCustomer(ctx, row.customerId),
	]);
	return { model: creditNoteToEInvoice(row, credited, seller, customer), issuedAt: new Date(row.createdAt) };
}

/** Where a request named the format, for the refusal to point at. */
export type FormatField = Pick<FieldError, "location" | "field">;

/** Refuses, with the rules it would break, a source whose data cannot make a valid file of `format`. */
export function requireRenderable(model: EInvoice, format: EInvoiceFileFormat, at: FormatField) {
	const findings = preflight(model, SYNTAX[format]);
	if (findings.length === 0) return;
	const first = findings[0] as (typeof findings)[number];
	const more = findings.length > 1 ? ` (and ${findings.length - 1} more)` : "";
	const reason = `${first.rule}: ${first.message}${more}`;
	throw new AppError("validation_failed", `${model.number} cannot be rendered as ${format}: ${reason}`, {
		errors: [{ ...at, message: `${format} cannot be made from this document's data: ${reason}` }],
		extensions: { format, rule: first.rule, rules: findings.map((f) => ({ rule: f.rule, message: f.message })) },
	});
}

async function render(ctx: ServiceContext, kind: IssuedKind, id: string, format: EInvoiceFileFormat, at: FormatField) {
	const { model, issuedAt } = await issuedEInvoice(ctx, kind, id);
	requireRenderable(model, format, at);
	const xml = RENDER_XML[SYNTAX[format]](model);
	if (format !== "facturx" && format !== "zugferd") return new TextEncoder().encode(xml);
	const pdf = await ensureIssuedDocument(ctx, kind, id);
	const object = await ctx.env.FILES.get(pdf.r2Key);
	if (!object) throw new Error(`the stored document ${pdf.r2Key} is missing`);
	return embedFacturX(new Uint8Array(await object.arrayBuffer()), xml, {
		title: `${kind === "invoice" ? "Invoice" : "Credit note"} ${model.number}`,
		date: issuedAt,
	});
}

/** The source's stored e-invoice in `format`, rendered and stored first by the first request. Concurrent
 * first requests may both render; the store keeps the first file and both answer with it. `at` is where
 * the request named the format, which a refusal points at. */
export async function ensureEInvoice(
	ctx: ServiceContext,
	kind: IssuedKind,
	id: string,
	format: EInvoiceFileFormat,
	at: FormatField = { location: "body", field: "format" },
): Promise<DocumentRow> {
	return (
		(await findDocument(ctx, kind, id, format)) ??
		storeDocument(ctx, kind, id, await render(ctx, kind, id, format, at), format)
	);
}

export type EInvoiceFile = { body: ReadableStream; etag: string; filename: string; contentType: string };

/** The e-invoice of an invoice or credit note, as a download. */
export async function einvoiceFile({
	ctx,
	kind,
	id,
	format,
}: {
	ctx: ServiceContext;
	kind: IssuedKind;
	id: string;
	format: EInvoiceFileFormat;
}): Promise<EInvoiceFile> {
	const row = await ensureEInvoice(ctx, kind, id, format, { location: "query", field: "format" });
	const object = await ctx.env.FILES.get(row.r2Key);
	if (!object) throw new Error(`the stored document ${row.r2Key} is missing`);
	const name = row.r2Key.slice(row.r2Key.lastIndexOf("/") + 1);
	return { body: object.body, etag: `"${row.sha256}"`, filename: name, contentType: row.contentType };
}
