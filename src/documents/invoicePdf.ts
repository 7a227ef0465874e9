import { PDFDocument } from "pdf-lib";
import { formatDate, formatMoney, formatQuantity, formatRate } from "./format";
import { girocodePayload, qrModules } from "./girocode";
import { continuationHeader, drawDocumentHead } from "./header";
import type { InvoiceDocument } from "./model";
import { type Column, LEFT, PageWriter, RIGHT } from "./pdfLayout";

const LINE_COLUMNS: Column[] = [
	{ title: "Description", width: 171, align: "left" },
	{ title: "Qty", width: 50, align: "right" },
	{ title: "Unit", width: 36, align: "left" },
	{ title: "Unit price", width: 70, align: "right" },
	{ title: "Discount", width: 60, align: "right" },
	{ title: "Tax", width: 52, align: "right" },
	{ title: "Net", width: 72, align: "right" },
];

const TAX_COLUMNS: Column[] = [
	{ title: "Tax", width: 171, align: "left" },
	{ title: "Rate", width: 86, align: "right" },
	{ title: "Taxable amount", width: 130, align: "right" },
	{ title: "Tax amount", width: 124, align: "right" },
];

const TITLES = { invoice: "Invoice", credit_note: "Credit note" } as const;
const QR_SIZE = 92;

/** The invoice's (or credit note's) PDF: every page A4, lines paginated under a repeated header. */
export async function renderInvoicePdf(invoice: InvoiceDocument): Promise<Uint8Array> {
	const { locale, currency } = invoice;
	const money = (amount: number) => formatMoney(amount, currency, locale);
	const date = (value: string | null) => (value ? formatDate(value, locale) : "—");
	const title = TITLES[invoice.kind];
	const numberText = invoice.number ?? "Draft";

	const doc = await PDFDocument.create({ updateMetadata: false });
	doc.setTitle(`${title} ${numberText}`);
	doc.setAuthor(invoice.seller.name);
	doc.setCreator("edge-billing");
	doc.setProducer("pdf-lib");
	if (invoice.issueDate) doc.setCreationDate(new Date(`${invoice.issueDate}T00:00:00Z`));
	const writer = await PageWriter.open(doc);

	const facts: [string, string][] = [[`${title} number`, numberText]];
	if (invoice.correcting) facts.push(["Corrects invoice", invoice.correcting]);
	facts.push(["Issue date", date(invoice.issueDate)]);
	if (invoice.servicePeriod)
		facts.push(["Service period", `${date(invoice.servicePeriod.from)} – ${date(invoice.servicePeriod.to)}`]);
	if (invoice.kind === "invoice") facts.push(["Due date", date(invoice.dueDate)]);
	if (invoice.paymentTerms) facts.push(["Payment terms", invoice.paymentTerms]);
	facts.push(["Currency", currency]);
	await drawDocumentHead(writer, { logo: invoice.logo, title, seller: invoice.seller, buyer: invoice.buyer, facts });
	writer.continuationHeader = continuationHeader(`${title} ${numberText} (continued)`, invoice.seller);

	writer.table(
		LINE_COLUMNS,
		invoice.lines.map((line) => [
			line.description,
			formatQuantity(line.quantity, locale),
			line.unit ?? "",
			money(line.unitPrice),
			line.discount ? money(-line.discount) : "",
			line.taxLabel,
			money(line.net),
		]),
	);

	if (invoice.taxBreakdown.length > 0) {
		writer.y -= 12;
		writer.table(
			TAX_COLUMNS,
			invoice.taxBreakdown.map((row) => [
				row.label,
				formatRate(row.rate, locale),
				money(row.taxable),
				money(row.amount),
			]),
		);
	}

	const { totals } = invoice;
	const totalRows: [string, string][] = [["Subtotal", money(totals.subtotal)]];
	if (totals.discount) totalRows.push(["Discounts", money(-totals.discount)]);
	totalRows.push(["Net amount", money(totals.subtotal - totals.discount)], ["Tax", money(totals.tax)]);
	const settled: [string, string][] = [];
	if (totals.paid) settled.push(["Paid", money(-totals.paid)]);
	if (totals.credited) settled.push(["Credited", money(-totals.credited)]);
	if (totals.writtenOff) settled.push(["Written off", money(-totals.writtenOff)]);
	const totalsHeight = (totalRows.length + settled.length + 3) * writer.lineHeight({ size: 10 }) + 16;
	writer.y -= 12;
	writer.ensure(totalsHeight);
	const x = RIGHT - 230;
	let y = writer.pairs(totalRows, x, writer.y, 230);
	writer.rule(y + 2, x, RIGHT);
	writer.textAt("Total", x, y - 3, { bold: true, size: 10 });
	writer.textAt(money(totals.total), RIGHT, y - 3, { bold: true, size: 10 }, "right");
	y = writer.pairs(settled, x, y - 3 - writer.lineHeight({ size: 10 }), 230);
	if (invoice.kind === "invoice") {
		writer.rule(y + 2, x, RIGHT);
		writer.textAt("Balance due", x, y - 3, { bold: true, size: 10 });
		writer.textAt(money(totals.balance), RIGHT, y - 3, { bold: true, size: 10 }, "right");
		y -= writer.lineHeight({ size: 10 }) + 3;
	}
	writer.y = y - 14;

	for (const note of invoice.notes) writer.paragraph(note, { bold: true });
	if (invoice.notes.length > 0) writer.y -= 8;

	if (invoice.payment && invoice.kind === "invoice" && !invoice.draft && totals.balance > 0) {
		const { payment } = invoice;
		const payload = girocodePayload(payment, totals.balance, currency);
		const textWidth = RIGHT - LEFT - (payload ? QR_SIZE + 16 : 0);
		writer.ensure(Math.max(payload ? QR_SIZE + 8 : 0, 6 * writer.lineHeight()));
		const top = writer.y;
		writer.textAt("Payment instructions", LEFT, writer.y, { bold: true });
		writer.y -= writer.lineHeight();
		writer.paragraph(
			`Please transfer ${money(totals.balance)} by ${date(invoice.dueDate)}, quoting ${payment.reference}.`,
			{},
			LEFT,
			textWidth,
		);
		writer.paragraph(`Beneficiary: ${payment.beneficiary}`, {}, LEFT, textWidth);
		writer.paragraph(`IBAN: ${payment.iban}`, {}, LEFT, textWidth);
		if (payment.bic) writer.paragraph(`BIC: ${payment.bic}`, {}, LEFT, textWidth);
		if (payload) {
			writer.qrCode(qrModules(payload), RIGHT - QR_SIZE, top, QR_SIZE);
			writer.y = Math.min(writer.y, top - QR_SIZE - 4);
		}
	}

	writer.finish({ footer: invoice.footer, watermark: invoice.draft ? "DRAFT" : null });
	return doc.save();
}
