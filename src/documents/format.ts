import { formatMinorUnits } from "../domain/currency";

type Separators = { group: string; decimal: string };
const separatorsByLocale = new Map<string, Separators>();

/** The locale's digit-group and decimal signs; only these come from Intl, never a number's value. */
function separators(locale: string): Separators {
	let found = separatorsByLocale.get(locale);
	if (!found) {
		const parts = new Intl.NumberFormat(locale, { useGrouping: true }).formatToParts(11111.5);
		found = {
			group: parts.find((p) => p.type === "group")?.value ?? ",",
			decimal: parts.find((p) => p.type === "decimal")?.value ?? ".",
		};
		separatorsByLocale.set(locale, found);
	}
	return found;
}

/** "1234567.891" → "1.234.567,891" in de-DE: groups the integer digits of a decimal string. */
export function formatDecimalText(value: string, locale: string): string {
	const { group, decimal } = separators(locale);
	const negative = value.startsWith("-");
	const [whole = "0", fraction] = (negative ? value.slice(1) : value).split(".");
	const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, group);
	return `${negative ? "-" : ""}${grouped}${fraction ? decimal + fraction : ""}`;
}

/** `123456` EUR in de-DE → "1.234,56 €": the currency's exponent, the locale's signs and symbol placement. */
export function formatMoney(amount: number, currency: string, locale: string): string {
	const number = formatDecimalText(formatMinorUnits(Math.abs(amount), currency), locale);
	const parts = new Intl.NumberFormat(locale, { style: "currency", currency }).formatToParts(amount < 0 ? -1 : 1);
	return parts
		.map((part) => {
			if (part.type === "integer") return number;
			if (part.type === "decimal" || part.type === "fraction" || part.type === "group") return "";
			return part.value;
		})
		.join("");
}

/** A quantity without the trailing zeros of its stored scale: "2.500000" → "2,5" in de-DE. */
export function formatQuantity(quantity: string, locale: string): string {
	const trimmed = quantity.includes(".") ? quantity.replace(/0+$/, "").replace(/\.$/, "") : quantity;
	return formatDecimalText(trimmed, locale);
}

/** "2026-03-01" → the locale's short date, read as a calendar day (no time zone shift). */
export function formatDate(date: string, locale: string): string {
	return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(
		new Date(`${date}T00:00:00Z`),
	);
}

/** A rate as stored ("19", "7.5000") → "19%" / "7,5%". */
export const formatRate = (rate: string, locale: string) => `${formatQuantity(rate, locale)}%`;
