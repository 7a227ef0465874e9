// What each kind of delivery says and attaches: its template's values and the document's stored files (an
// invoice's PDF, and the e-invoice its customer prefers).
import { formatDate, formatMoney } from "../../documents/format";
import { daysPastDue } from "../../domain/aging";
import { todayOf } from "../../lib/clock";
import type { ServiceContext } from "../../lib/context";
import type { DeliveryKind } from "../../schemas/delivery";
import { loadCreditNote } from "../creditNotes/creditNotes";
import { loadCustomer } from "../customers/loadCustomer";
import { ensureIssuedDocument } from "../documents/issuedDocuments";
import type { DocumentRow } from "../documents/storedDocuments";
import { ensureEInvoice } from "../einvoices/einvoiceFiles";
import { loadInvoiceRow } from "../invoices/loadInvoice";
import { loadStatement, statementDocument } from "../statements/statements";

/** A stored file an email attaches, under the name it goes by. */
export type LetterFile = { document: DocumentRow; filename: string };

export type Letter = { values: Record<string, string>; files: LetterFile[] };

async function invoiceLetter(ctx: ServiceContext, locale: string, invoiceId: string): Promise<Letter> {
	const invoice = await loadInvoiceRow(ctx, invoiceId);
	const [customer, document] = await Promise.all([
		loadCustomer(ctx, invoice.customerId),
		ensureIssuedDocument(ctx, "invoice", invoice.id),
	]);
	const number = invoice.number ?? invoice.id;
	const preferred = customer.preferredEinvoiceFormat;
	const einvoice = preferred ? await ensureEInvoice(ctx, "invoice", invoice.id, preferred) : null;
	// A Factur-X or ZUGFeRD file is the invoice PDF itself with the XML inside: it takes the plain PDF's place.
	const hybrid = einvoice?.contentType === "application/pdf";
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
		files: [
			{ document: hybrid && einvoice ? einvoice : document, filename: `${number}.pdf` },
			...(einvoice && !hybrid ? [{ document: einvoice, filename: `${number}.${preferred}.xml` }] : []),
		],
	};
}

async function creditNoteLetter(ctx: ServiceContext, locale: string, creditNoteId: string): Promise<Letter> {
	const { row: note } = await loadCreditNote(ctx, creditNoteId);
	const [customer, invoice, document] = await Promise.all([
		loadCustomer(ctx, note.customerId),
		loadInvoiceRow(ctx, note.invoiceId),
		ensureIssuedDocument(ctx, "credit_note", note.id),
	]);
	return {
		values: {
			"customer.name": customer.name,
			"credit_note.number": note.number,
			"credit_note.amount": formatMoney(note.amount, note.currency, locale),
			"credit_note.reason": note.reason,
			"invoice.number": invoice.number ?? invoice.id,
		},
		files: [{ document, filename: `${note.number}.pdf` }],
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
