// Invoice numbers: a per-tenant format with `{YYYY}` for the issue year and a run of `N`s in braces
// for the sequence (`{NNNN}` pads to four digits). The sequence restarts each year when the format
// names the year, and never restarts when it does not.

export const DEFAULT_INVOICE_NUMBER_FORMAT = "INV-{YYYY}-{NNNN}";

const SEQUENCE = /\{(N+)\}/;

export type NumberFormat = { prefix: string; width: number; suffix: string; resetsYearly: boolean };

/** Null when the format has no `{N…}` placeholder or more than one. */
export function parseNumberFormat(format: string): NumberFormat | null {
	if ((format.match(/\{N+\}/g) ?? []).length !== 1) return null;
	if (/[{}]/.test(format.replace(SEQUENCE, "").replaceAll("{YYYY}", ""))) return null;
	const match = SEQUENCE.exec(format);
	if (!match?.[1]) return null;
	return {
		prefix: format.slice(0, match.index),
		width: match[1].length,
		suffix: format.slice(match.index + match[0].length),
		resetsYearly: format.includes("{YYYY}"),
	};
}

/** The number's parts for an issue year; the database fills in the sequence value atomically. */
export function numberParts(format: NumberFormat, year: number) {
	const fill = (text: string) => text.replaceAll("{YYYY}", String(year));
	return {
		prefix: fill(format.prefix),
		suffix: fill(format.suffix),
		width: format.width,
		period: format.resetsYearly ? year : 0,
	};
}

export function formatInvoiceNumber(format: NumberFormat, year: number, sequence: number): string {
	const parts = numberParts(format, year);
	return `${parts.prefix}${String(sequence).padStart(parts.width, "0")}${parts.suffix}`;
}
