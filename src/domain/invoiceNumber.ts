// Invoice numbers: a per-tenant format with `{YYYY}` for the issue year and a run of `N`s in braces
// for the sequence (`{NNNN}` pads to four digits). The sequence restarts each year when the format
// names the year, and never restarts when it does not.

export const DEFAULT_INVOICE_NUMBER_FORMAT = "INV-{YYYY}-{NNNN}";

const TOKEN = /(\{YYYY\}|\{N+\})/;

export type NumberFormat = { prefix: string; width: number; suffix: string; resetsYearly: boolean };

/**
 * Null unless the format is literal text (without braces), `{YYYY}` tokens and exactly one `{N…}`.
 * Split with a capturing group, odd-numbered parts are tokens and even-numbered parts literal text.
 */
export function parseNumberFormat(format: string): NumberFormat | null {
	const parts = format.split(TOKEN);
	const literals = parts.filter((_, i) => i % 2 === 0);
	if (literals.some((text) => /[{}]/.test(text))) return null;
	const sequenceAt = parts.findIndex((part, i) => i % 2 === 1 && part.startsWith("{N"));
	const sequences = parts.filter((part, i) => i % 2 === 1 && part.startsWith("{N"));
	if (sequences.length !== 1 || sequenceAt < 0) return null;
	return {
		prefix: parts.slice(0, sequenceAt).join(""),
		width: (parts[sequenceAt] as string).length - 2,
		suffix: parts.slice(sequenceAt + 1).join(""),
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
