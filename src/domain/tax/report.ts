// The tax report of a period: what each tax authority is owed, per jurisdiction × category × rate,
// built from the very journal entries that moved tax payable in the period, so its totals equal the
// ledger's. Pure: the service loads the entries and the documents behind them.

import type { CreditNoteTaxLine } from "../../db/schema";
import { type SummarizedLine, summarizeTaxes } from "../invoiceTotals";
import type { TaxCategory } from "./categories";
import { EU_MEMBER_STATES, isEuMember } from "./countries";
import { allocate } from "./rounding";

export type ReportInvoice = {
	id: string;
	currency: string;
	status: string;
	/** The entry that issued it; any later tax-moving entry on it is its void. */
	journalEntryId: string | null;
	lines: readonly SummarizedLine[];
};

export type ReportCreditNote = {
	id: string;
	invoiceId: string;
	currency: string;
	status: string;
	journalEntryId: string | null;
	netAmount: number;
	taxLines: readonly CreditNoteTaxLine[];
};

/** A journal entry of the period posted for an invoice or a credit note. */
export type ReportEntry = { id: string; sourceType: string; sourceId: string };

export type TaxReportRow = {
	currency: string;
	jurisdiction: string;
	category: TaxCategory;
	rate: string;
	taxable_base: number;
	tax_charged: number;
	credit_note_base: number;
	credit_note_tax: number;
	net_taxable_base: number;
	net_tax: number;
};

type Bucket = { jurisdiction: string; category: TaxCategory; rate: string; base: number; tax: number };

/** An invoice's base and tax per (jurisdiction, category, rate), in the order its lines name them. */
const invoiceBuckets = (invoice: ReportInvoice): Bucket[] =>
	summarizeTaxes(invoice.lines).map((t) => ({
		jurisdiction: t.jurisdiction,
		category: t.category,
		rate: t.rate,
		base: t.taxableAmount,
		tax: t.amount,
	}));

/**
 * A credit note's base and tax per (jurisdiction, category, rate): as the note states them, or, for a
 * note that states only tax per jurisdiction, shared over its invoice's rates: each jurisdiction's
 * credited tax by the tax the invoice charged at each, and the credited net by their bases, so the parts
 * add up to the note exactly.
 */
export function creditNoteBuckets(note: ReportCreditNote, invoice: ReportInvoice): Bucket[] {
	if (note.taxLines.length > 0 && note.taxLines.every((t) => t.rate !== undefined && t.category !== undefined)) {
		return note.taxLines.map((t) => ({
			jurisdiction: t.jurisdiction,
			category: t.category as TaxCategory,
			rate: t.rate as string,
			base: t.taxable_amount ?? 0,
			tax: t.amount,
		}));
	}
	const buckets = invoiceBuckets(invoice);
	const invoiceNet = BigInt(invoice.lines.reduce((sum, line) => sum + line.netAmount, 0));
	const out: Bucket[] = [];
	for (const jurisdiction of new Set(buckets.map((b) => b.jurisdiction))) {
		const own = buckets.filter((b) => b.jurisdiction === jurisdiction);
		const credited = BigInt(note.taxLines.find((t) => t.jurisdiction === jurisdiction)?.amount ?? 0);
		const jurisdictionNet = BigInt(own.reduce((sum, b) => sum + b.base, 0));
		const [base = 0n] =
			invoiceNet === 0n ? [0n] : allocate(BigInt(note.netAmount), [jurisdictionNet, invoiceNet - jurisdictionNet]);
		const taxWeights = own.map((b) => BigInt(b.tax));
		const taxes = allocate(credited, taxWeights.some((w) => w > 0n) ? taxWeights : own.map((b) => BigInt(b.base)));
		const bases = allocate(
			base,
			own.map((b) => BigInt(b.base)),
		);
		own.forEach((b, i) => {
			out.push({ jurisdiction, category: b.category, rate: b.rate, base: Number(bases[i]), tax: Number(taxes[i]) });
		});
	}
	return out;
}

/**
 * Sums the period's entries: an invoice's issuing entry charges its taxes and its void takes them back;
 * a credit note's issuing entry reduces them and its void restores them. Other entries on the same
 * documents (write-offs, applications of credit) move no tax and are left out.
 */
export function buildTaxReport(
	entries: readonly ReportEntry[],
	invoices: ReadonlyMap<string, ReportInvoice>,
	creditNotes: ReadonlyMap<string, ReportCreditNote>,
	jurisdiction?: string,
): TaxReportRow[] {
	const rows = new Map<string, TaxReportRow>();
	const add = (currency: string, bucket: Bucket, kind: "charged" | "credited", sign: 1 | -1) => {
		if (jurisdiction && bucket.jurisdiction !== jurisdiction) return;
		const { category } = bucket;
		const key = `${currency}|${bucket.jurisdiction}|${category}|${bucket.rate}`;
		const row = rows.get(key) ?? {
			currency,
			jurisdiction: bucket.jurisdiction,
			category,
			rate: bucket.rate,
			taxable_base: 0,
			tax_charged: 0,
			credit_note_base: 0,
			credit_note_tax: 0,
			net_taxable_base: 0,
			net_tax: 0,
		};
		if (kind === "charged") {
			row.taxable_base += sign * bucket.base;
			row.tax_charged += sign * bucket.tax;
		} else {
			row.credit_note_base += sign * bucket.base;
			row.credit_note_tax += sign * bucket.tax;
		}
		row.net_taxable_base = row.taxable_base - row.credit_note_base;
		row.net_tax = row.tax_charged - row.credit_note_tax;
		rows.set(key, row);
	};
	for (const entry of entries) {
		if (entry.sourceType === "invoice") {
			const invoice = invoices.get(entry.sourceId);
			if (!invoice) continue;
			const issuing = entry.id === invoice.journalEntryId;
			if (!issuing && invoice.status !== "voided") continue;
			for (const bucket of invoiceBuckets(invoice)) add(invoice.currency, bucket, "charged", issuing ? 1 : -1);
		} else if (entry.sourceType === "credit_note") {
			const note = creditNotes.get(entry.sourceId);
			const invoice = note && invoices.get(note.invoiceId);
			if (!note || !invoice) continue;
			const issuing = entry.id === note.journalEntryId;
			if (!issuing && note.status !== "voided") continue;
			for (const bucket of creditNoteBuckets(note, invoice)) add(note.currency, bucket, "credited", issuing ? 1 : -1);
		}
	}
	return [...rows.values()].sort(
		(a, b) =>
			a.currency.localeCompare(b.currency) ||
			a.jurisdiction.localeCompare(b.jurisdiction) ||
			a.category.localeCompare(b.category) ||
			Number(a.rate) - Number(b.rate),
	);
}

export type ReportAdjustment = {
	currency: string;
	jurisdiction: string;
	direction: "increase" | "decrease";
	amount: number;
};

export type TaxPayableTotal = {
	currency: string;
	jurisdiction: string;
	net_tax: number;
	adjustments: number;
	/** What the period added to the jurisdiction's tax payable account: net tax plus adjustments. */
	tax_payable_movement: number;
};

/** Per currency and jurisdiction: the report's net tax, the period's adjustments, and their sum. */
export function taxPayableTotals(
	rows: readonly TaxReportRow[],
	adjustments: readonly ReportAdjustment[],
	jurisdiction?: string,
): TaxPayableTotal[] {
	const totals = new Map<string, TaxPayableTotal>();
	const totalOf = (currency: string, place: string) => {
		const key = `${currency}|${place}`;
		const total = totals.get(key) ?? {
			currency,
			jurisdiction: place,
			net_tax: 0,
			adjustments: 0,
			tax_payable_movement: 0,
		};
		totals.set(key, total);
		return total;
	};
	const inScope = (place: string) => !jurisdiction || place === jurisdiction;
	for (const row of rows) if (inScope(row.jurisdiction)) totalOf(row.currency, row.jurisdiction).net_tax += row.net_tax;
	for (const adjustment of adjustments) {
		if (!inScope(adjustment.jurisdiction)) continue;
		totalOf(adjustment.currency, adjustment.jurisdiction).adjustments +=
			adjustment.direction === "increase" ? adjustment.amount : -adjustment.amount;
	}
	for (const total of totals.values()) total.tax_payable_movement = total.net_tax + total.adjustments;
	return [...totals.values()].sort(
		(a, b) => a.currency.localeCompare(b.currency) || a.jurisdiction.localeCompare(b.jurisdiction),
	);
}

export type OssReturnLine = {
	member_state: string;
	currency: string;
	rate_type: "standard" | "zero";
	rate: string;
	taxable_amount: number;
	vat_amount: number;
};

/**
 * The EU One-Stop-Shop return: per member state of consumption other than the seller's own, the net
 * taxable amount and VAT at each rate. Jurisdictions are member states or their subdivisions (`FR`,
 * `ES-CN` files under ES).
 */
export function ossReturn(rows: readonly TaxReportRow[], originCountry: string | null): OssReturnLine[] {
	const lines = new Map<string, OssReturnLine>();
	for (const row of rows) {
		const memberState = row.jurisdiction.slice(0, 2);
		if (!isEuMember(memberState) || memberState === originCountry) continue;
		const key = `${memberState}|${row.currency}|${row.rate}`;
		const line = lines.get(key) ?? {
			member_state: memberState,
			currency: row.currency,
			rate_type: row.category === "S" ? ("standard" as const) : ("zero" as const),
			rate: row.rate,
			taxable_amount: 0,
			vat_amount: 0,
		};
		line.taxable_amount += row.net_taxable_base;
		line.vat_amount += row.net_tax;
		lines.set(key, line);
	}
	return [...lines.values()].sort(
		(a, b) =>
			EU_MEMBER_STATES.indexOf(a.member_state) - EU_MEMBER_STATES.indexOf(b.member_state) ||
			a.currency.localeCompare(b.currency) ||
			Number(a.rate) - Number(b.rate),
	);
}

const CSV_COLUMNS = [
	"currency",
	"jurisdiction",
	"category",
	"rate",
	"taxable_base",
	"tax_charged",
	"credit_note_base",
	"credit_note_tax",
	"net_taxable_base",
	"net_tax",
] as const;

/** The report as CSV; amounts stay integer minor units, as everywhere in the API. */
export const taxReportCsv = (rows: readonly TaxReportRow[]): string =>
	[CSV_COLUMNS, ...rows.map((row) => CSV_COLUMNS.map((column) => row[column]))]
		.map((fields) => `${fields.join(",")}\r\n`)
		.join("");
