import { RATE_SOURCES } from "../../domain/tax/builtInRates";
import { isKnownRegion } from "../../domain/tax/countries";
import { BUILT_IN_RECORDS, firstRateDate, type RateRecord, ratesInForce } from "../../domain/tax/rates";
import type { ServiceContext } from "../../lib/context";
import { fieldInvalid } from "../../lib/errors";
import { loadTenantTaxSetup } from "./tenantTaxSetup";

export const presentRate = (rate: RateRecord) => ({
	object: "tax_rate" as const,
	id: rate.id,
	country: rate.country,
	region: rate.region,
	postal_prefix: rate.postalPrefix,
	tax_code: rate.taxCode,
	jurisdiction: rate.jurisdiction,
	name: rate.name,
	rate: rate.rate,
	category: rate.category,
	stacking: rate.stacking,
	valid_from: rate.validFrom,
	valid_to: rate.validTo,
	source: rate.source,
});

/** The rates of a country (and region) in force on a day: the built-in table with the tenant's own over it. */
export async function listTaxRates({
	ctx,
	filter,
}: {
	ctx: ServiceContext;
	filter: { country: string; region?: string; date?: string };
}) {
	const region = filter.region ?? null;
	if (region !== null && !isKnownRegion(filter.country, region)) {
		throw fieldInvalid("query", "region", `is not a region of ${filter.country}`);
	}
	const setup = await loadTenantTaxSetup(ctx);
	const date = filter.date ?? setup.today;
	const table = [...BUILT_IN_RECORDS, ...setup.rates];
	const first = firstRateDate(table, filter.country);
	if (first !== null && date < first) {
		throw fieldInvalid(
			"query",
			"date",
			`is before ${first}, the first day with ${filter.country} rates; add earlier ones with POST /v1/billing/tax/rates`,
		);
	}
	const data = ratesInForce(table, { country: filter.country, region, date }).map(presentRate);
	const cited = new Set(data.map((rate) => rate.source));
	return {
		object: "list" as const,
		data,
		has_more: false,
		next_cursor: null,
		limit: data.length,
		date,
		sources: RATE_SOURCES.filter((source) => cited.has(source.id)),
	};
}
