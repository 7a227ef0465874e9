// Journal lines rendered as the files accounting systems import: a plain CSV, Xero's manual-journal
// import template and QuickBooks Online's journal-entry import. Pure: entries in, text out.
import { formatMinorUnits } from "./currency";

export type ExportLine = {
	entryId: string;
	entryDate: string;
	description: string;
	sourceType: string;
	sourceId: string;
	customerId: string | null;
	currency: string;
	accountCode: string;
	accountName: string;
	debit: number;
	credit: number;
	lineDescription: string | null;
};

export type ExportFormat = "csv" | "xero" | "qbo";

/** RFC 4180: quote a field holding a comma, quote or line break, doubling its quotes. */
const field = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
const row = (values: string[]) => values.map(field).join(",");

const [dd, mm, yyyy] = [(d: string) => d.slice(8, 10), (d: string) => d.slice(5, 7), (d: string) => d.slice(0, 4)];

export function renderExport(
	format: ExportFormat,
	lines: readonly ExportLine[],
	options: { taxRate?: string; accountNames?: Readonly<Record<string, string>> } = {},
): string {
	const money = (amount: number, currency: string) => formatMinorUnits(amount, currency);
	const name = (line: ExportLine) => options.accountNames?.[line.accountCode] ?? line.accountName;
	switch (format) {
		case "csv":
			return `${[
				row([
					"entry_id",
					"entry_date",
					"source_type",
					"source_id",
					"customer_id",
					"currency",
					"account_code",
					"account_name",
					"debit",
					"credit",
					"description",
				]),
				...lines.map((l) =>
					row([
						l.entryId,
						l.entryDate,
						l.sourceType,
						l.sourceId,
						l.customerId ?? "",
						l.currency,
						l.accountCode,
						name(l),
						money(l.debit, l.currency),
						money(l.credit, l.currency),
						l.lineDescription ?? l.description,
					]),
				),
			].join("\r\n")}\r\n`;
		case "xero":
			// Xero manual journals: lines sharing Narration and Date form one journal; Amount is positive
			// for a debit and negative for a credit; dates are dd/mm/yyyy.
			return `${[
				row([
					"*Narration",
					"*Date",
					"Description",
					"*AccountCode",
					"*TaxRate",
					"*Amount",
					"TrackingName1",
					"TrackingOption1",
					"TrackingName2",
					"TrackingOption2",
				]),
				...lines.map((l) =>
					row([
						`${l.description} (${l.entryId})`,
						`${dd(l.entryDate)}/${mm(l.entryDate)}/${yyyy(l.entryDate)}`,
						l.lineDescription ?? "",
						l.accountCode,
						options.taxRate ?? "Tax Exempt",
						l.debit > 0 ? money(l.debit, l.currency) : `-${money(l.credit, l.currency)}`,
						"",
						"",
						"",
						"",
					]),
				),
			].join("\r\n")}\r\n`;
		case "qbo": {
			// QuickBooks Online journal entries: rows sharing a Journal No. form one entry; accounts by name;
			// dates are MM/DD/YYYY; a line has a Debits or a Credits amount.
			const numbers = new Map<string, number>();
			for (const l of lines) if (!numbers.has(l.entryId)) numbers.set(l.entryId, numbers.size + 1);
			return `${[
				row([
					"Journal No.",
					"Journal Date",
					"Currency",
					"Memo",
					"Account Name",
					"Debits",
					"Credits",
					"Description",
					"Name",
				]),
				...lines.map((l) =>
					row([
						String(numbers.get(l.entryId)),
						`${mm(l.entryDate)}/${dd(l.entryDate)}/${yyyy(l.entryDate)}`,
						l.currency,
						`${l.description} (${l.entryId})`,
						name(l),
						l.debit > 0 ? money(l.debit, l.currency) : "",
						l.credit > 0 ? money(l.credit, l.currency) : "",
						l.lineDescription ?? "",
						l.customerId ?? "",
					]),
				),
			].join("\r\n")}\r\n`;
		}
	}
}
