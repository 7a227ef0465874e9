// What each kind of delivery says and attaches: its template's values and the document's stored files (an
// invoice's or credit note's PDF, and the e-invoice its customer prefers).
import type { EInvoiceFileFormat } from "../../db/schema";
import { formatDate, formatMoney } from "../../documents/format";
import { daysPastDue } from "../../domain/aging";
import { todayOf } from "../../lib/clock";
import type { ServiceContext } from "../../lib/context";
import type { DeliveryKind } from "../../schemas/delivery";
import { loadCreditNote } from "../creditNotes/creditNotes";
import { loadCustomer } from "../customers/loadCustomer";
import { ensureIssuedDocument, type IssuedKind } from "../documents/issuedDocuments";
import type { DocumentRow } from "../documents/storedDocuments";
import { ensureEInvoice } from "../einvoices/einvoiceFiles";
import { loadInvoiceRow } from "../invoices/loadInvoice";
import { loadStatement, statementDocument } from "../statements/statements";

/** A stored file an email attaches, under the name it goes by. */
export type LetterFile = { document: DocumentRow; filename: string };

export type Letter = { values: Record<string, string>; files: LetterFile[] };

/**
 * An issued invoice's or credit note's files: its PDF, and the e-invoice its customer prefers. A Factur-X or
 * ZUGFeRD file is the PDF itself with the XML inside: it takes the plain PDF's place.
 */
async function issuedFiles(
	ctx: ServiceContext,
	kind: IssuedKind,
	id: string,
	number: string,
	preferred: EInvoiceFileFormat | null,
): Promise<LetterFile[]> {
	const [document, einvoice] = await Promise.all([
		ensureIssuedDocument(ctx, kind, id),
		preferred ? ensureEInvoice(ctx, kind, id, preferred) : null,
	]);
	if (einvoice?.contentType === "application/pdf") return [{ document: einvoice, filename: `${number}.pdf` }];
	return [
		{ document, filename: `${number}.pdf` },
		...(einvoice ? [{ document: einvoice, filename: `${number}.${preferred}.xml` }] : []),
	];
}

async function invoiceLetter(ctx: ServiceContext, locale: string, invoiceId: string): Promise<Letter> {
	const invoice = await loadInvoiceRow(ctx, invoiceId);
	const customer = await loadCustomer(ctx, invoice.customerId);
	const number = invoice.number ?? invoice.id;
	const files = await issuedFiles(ctx, "invoice", invoice.id, number, customer.preferredEinvoiceFormat);
	const money = (amount: number) => formatMoney(amount, invoice.currency, locale);
	const date = (value: string | null) => (value ? formatDate(value, locale) : "");
	return {
		values: {
			"customer.name": customer.name,
			"invoice.number": invoice.number ?? invoice.id,
			"invoice.issue_date": date(invoice.issueDate),
			"invoice.due_date": date(invoice.dueDate),
			"invoice.total": money(invoice.total),
			"invoice.balance": money(invoice.balance),
			"invoice.currency": invoice.currency,
			"invoice.pdf_url": `/v1/billing/invoices/${invoice.id}/pdf`,
			"invoice.days_overdue": String(
				invoice.dueDate ? Math.max(daysPastDue(invoice.dueDate, todayOf(ctx.clock.now())), 0) : 0,
			),
		},
		files,
	};
}

async function creditNoteLetter(ctx: ServiceContext, locale: string, creditNoteId: string): Promise<Letter> {
	const { row: note } = await loadCreditNote(ctx, creditNoteId);
	const [customer, invoice] = await Promise.all([
		loadCustomer(ctx, note.customerId),
		loadInvoiceRow(ctx, note.invoiceId),
	]);
	const files = await issuedFiles(ctx, "credit_note", note.id, note.number, customer.preferredEinvoiceFormat);
	return {
		values: {
			"customer.name": customer.name,
			"credit_note.number": note.number,
			"credit_note.amount": formatMoney(note.amount, note.currency, locale),
			"credit_note.reason": note.reason,
			"invoice.number": invoice.number ?? invoice.id,
		},
		files,
	};
}

async function statementLetter(ctx: ServiceContext, locale: string, statementId: string): Promise<Letter> {
	const statement = await loadStatement(ctx, statementId);
	const [customer, { document, filename }] = await Promise.all([
		loadCustomer(ctx, statement.customerId),
		statementDocument(ctx, statement),
	]);
	return {
		values: {
			"customer.name": customer.name,
			"statement.from": formatDate(statement.periodFrom, locale),
			"statement.to": formatDate(statement.periodTo, locale),
			"statement.closing_balance": formatMoney(statement.closingBalance, statement.currency, locale),
		},
		files: [{ document, filename }],
	};
}

export const LETTERS: Record<
	DeliveryKind,
	(ctx: ServiceContext, locale: string, documentId: string) => Promise<Letter>
> = {
	invoice: invoiceLetter,
	reminder: invoiceLetter,
	credit_note: creditNoteLetter,
	statement: statementLetter,
};
