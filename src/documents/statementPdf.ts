import { PDFDocument } from "pdf-lib";
import { formatDate, formatMoney } from "./format";
import { continuationHeader, drawDocumentHead } from "./header";
import type { StatementDocument, StatementEntry } from "./model";
import { type Column, PageWriter, RIGHT } from "./pdfLayout";

const ENTRY_COLUMNS: Column[] = [
	{ title: "Reference", width: 141, align: "left" },
	{ title: "Date", width: 70, align: "left" },
	{ title: "Type", width: 70, align: "left" },
	{ title: "Debit", width: 76, align: "right" },
	{ title: "Credit", width: 76, align: "right" },
	{ title: "Balance", width: 78, align: "right" },
];

const AGING_COLUMNS: Column[] = [
	{ title: "Current", width: 103, align: "right" },
	{ title: "1–30 days", width: 102, align: "right" },
	{ title: "31–60 days", width: 102, align: "right" },
	{ title: "61–90 days", width: 102, align: "right" },
	{ title: "Over 90 days", width: 102, align: "right" },
];

const TYPE_LABELS: Record<StatementEntry["type"], string> = {
	invoice: "Invoice",
	payment: "Payment",
	credit_note: "Credit note",
	refund: "Refund",
	write_off: "Write-off",
	void: "Void",
};

/** A statement of account: opening balance, the period's movements with running balance, closing balance, aging. */
export async function renderStatementPdf(statement: StatementDocument): Promise<Uint8Array> {
	const { locale, currency } = statement;
	const money = (amount: number) => formatMoney(amount, currency, locale);
	const date = (value: string) => formatDate(value, locale);
	const doc = await PDFDocument.create({ updateMetadata: false });
	doc.setTitle(`Statement of account ${statement.from} – ${statement.to}`);
	doc.setAuthor(statement.seller.name);
	doc.setCreator("edge-billing");
	doc.setProducer("pdf-lib");
	const writer = await PageWriter.open(doc);

	await drawDocumentHead(writer, {
		logo: statement.logo,
		title: "Statement of account",
		seller: statement.seller,
		buyer: statement.buyer,
		facts: [
			["Period", `${date(statement.from)} – ${date(statement.to)}`],
			["Currency", currency],
			["Opening balance", money(statement.openingBalance)],
			["Closing balance", money(statement.closingBalance)],
		],
	});
	writer.continuationHeader = continuationHeader(
		`Statement of account ${date(statement.from)} – ${date(statement.to)} (continued)`,
		statement.seller,
	);

	writer.table(ENTRY_COLUMNS, [
		["Opening balance", date(statement.from), "", "", "", money(statement.openingBalance)],
		...statement.entries.map((entry) => [
			entry.reference,
			date(entry.date),
			TYPE_LABELS[entry.type],
			entry.debit ? money(entry.debit) : "",
			entry.credit ? money(entry.credit) : "",
			money(entry.balance),
		]),
	]);
	writer.y -= 6;
	writer.ensure(writer.lineHeight({ size: 10 }) * 2);
	writer.textAt("Closing balance", RIGHT - 230, writer.y, { bold: true, size: 10 });
	writer.textAt(money(statement.closingBalance), RIGHT, writer.y, { bold: true, size: 10 }, "right");
	writer.y -= writer.lineHeight({ size: 10 }) + 14;

	writer.paragraph(`Amounts due by age on ${date(statement.to)}`, { bold: true });
	writer.y -= 4;
	const { aging } = statement;
	writer.table(AGING_COLUMNS, [
		[
			money(aging.current),
			money(aging.days_1_30),
			money(aging.days_31_60),
			money(aging.days_61_90),
			money(aging.days_over_90),
		],
	]);

	writer.finish({ footer: statement.footer, watermark: null });
	return doc.save();
}
