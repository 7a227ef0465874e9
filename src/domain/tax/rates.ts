// Which rates apply at a place on a day: the built-in table plus the tenant's own rates, the most
// specific first (a postal prefix over a region over the whole country, the tenant's over the built-in).
import { BUILT_IN_RATES, type BuiltInRate } from "./builtInRates";

export type RateRecord = BuiltInRate & {
	/** A tenant rate may apply only to postal codes starting with this (US counties and cities). */
	postalPrefix: string | null;
	/** The tenant rate's id; null for a built-in one. */
	id: string | null;
};

export const BUILT_IN_RECORDS: readonly RateRecord[] = BUILT_IN_RATES.map((rate) => ({
	...rate,
	postalPrefix: null,
	id: null,
}));

/** Codes every tenant has: the table's, plus the three the engine handles without a rate row. */
export const BUILT_IN_TAX_CODES: ReadonlySet<string> = new Set([
	...BUILT_IN_RATES.map((rate) => rate.taxCode),
	"zero",
	"exempt",
	"digital_services",
]);

export function knownTaxCodes(tenantRates: readonly RateRecord[]): Set<string> {
	return new Set([...BUILT_IN_TAX_CODES, ...tenantRates.map((rate) => rate.taxCode)]);
}

export type RateQuery = {
	country: string;
	region: string | null;
	postalCode: string | null;
	taxCode: string;
	date: string;
};

export const normalizePostalCode = (postalCode: string) => postalCode.replace(/[\s-]/g, "").toUpperCase();

const isInForce = (rate: RateRecord, date: string) =>
	rate.validFrom <= date && (rate.validTo === null || date <= rate.validTo);

/** A postal prefix is more specific than a region, which is more specific than the whole country. */
const specificity = (rate: RateRecord) => (rate.postalPrefix?.length ?? 0) * 2 + (rate.region === null ? 0 : 1);

/**
 * The rates charged together at a place for a tax code on a day, least specific first (GST before
 * PST). Per jurisdiction the most specific rate wins, a tenant's before a built-in one; a `replace`
 * rate drops every less specific one (HST replaces GST, IGIC replaces Spain's VAT).
 */
export function applicableRates(table: readonly RateRecord[], query: RateQuery): RateRecord[] {
	const postal = query.postalCode === null ? null : normalizePostalCode(query.postalCode);
	const matching = table.filter(
		(rate) =>
			rate.country === query.country &&
			rate.taxCode === query.taxCode &&
			isInForce(rate, query.date) &&
			(rate.region === null || rate.region === query.region) &&
			(rate.postalPrefix === null || (postal?.startsWith(rate.postalPrefix) ?? false)),
	);
	matching.sort((a, b) => specificity(b) - specificity(a) || Number(b.id !== null) - Number(a.id !== null));
	const chosen: RateRecord[] = [];
	const jurisdictions = new Set<string>();
	let floor = -1;
	for (const rate of matching) {
		if (specificity(rate) < floor) break;
		if (jurisdictions.has(rate.jurisdiction)) continue;
		jurisdictions.add(rate.jurisdiction);
		chosen.push(rate);
		if (rate.stacking === "replace") floor = specificity(rate);
	}
	return chosen.reverse();
}

/** The first day any rate of `country` is known, or null when none is. */
export function firstRateDate(table: readonly RateRecord[], country: string): string | null {
	let first: string | null = null;
	for (const rate of table) {
		if (rate.country === country && (first === null || rate.validFrom < first)) first = rate.validFrom;
	}
	return first;
}

/**
 * Every rate of a country (and region) in force on a day, by tax code: what GET /tax/rates lists. A
 * tenant's rate stands in place of the built-in one of the same place, code and jurisdiction.
 */
export function ratesInForce(
	table: readonly RateRecord[],
	filter: { country: string; region: string | null; date: string },
): RateRecord[] {
	const byPlace = new Map<string, RateRecord>();
	for (const rate of table) {
		if (rate.country !== filter.country || !isInForce(rate, filter.date)) continue;
		if (filter.region !== null && rate.region !== null && rate.region !== filter.region) continue;
		const key = [rate.region, rate.postalPrefix, rate.taxCode, rate.jurisdiction].join("\u0000");
		const present = byPlace.get(key);
		if (!present || (present.id === null && rate.id !== null)) byPlace.set(key, rate);
	}
	return [...byPlace.values()].sort(
		(a, b) =>
			a.taxCode.localeCompare(b.taxCode) ||
			specificity(a) - specificity(b) ||
			(a.postalPrefix ?? "").localeCompare(b.postalPrefix ?? "") ||
			a.jurisdiction.localeCompare(b.jurisdiction),
	);
}
