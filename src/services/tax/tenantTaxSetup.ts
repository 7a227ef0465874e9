import { asc, eq, sql } from "drizzle-orm";
import { preparedQuery } from "../../db/client";
import { taxRates, tenants } from "../../db/schema";
import { localDate } from "../../domain/billingPeriods";
import type { SellerTaxSetup, TaxRounding } from "../../domain/tax/engine";
import type { RateRecord } from "../../domain/tax/rates";
import type { ServiceContext } from "../../lib/context";
import { notFound } from "../../lib/errors";

/** What pricing an invoice needs of the tenant's tax setup; an account object remembers it with its settings. */
export type InvoiceTaxSetup = {
	/** Null until the tenant sets its origin country (PATCH /v1/billing/settings). */
	seller: SellerTaxSetup | null;
	rounding: TaxRounding;
	pricesIncludeTax: boolean;
	/** The tenant's own rates (most tenants have none). */
	rates: RateRecord[];
};

export type TenantTaxSetup = InvoiceTaxSetup & { defaultCurrency: string; today: string };

export const presentTenantRate = (row: typeof taxRates.$inferSelect): RateRecord => ({
	id: row.id,
	country: row.country,
	region: row.region,
	postalPrefix: row.postalPrefix,
	taxCode: row.taxCode,
	jurisdiction: row.jurisdiction,
	name: row.name,
	rate: row.rate,
	category: row.category,
	stacking: row.stacking,
	validFrom: row.validFrom,
	validTo: row.validTo,
	source: "tenant",
});

// Prepared once: an account object reads them with every fresh state.
const tenantTaxRow = preparedQuery((db) =>
	db
		.select({
			taxRounding: tenants.taxRounding,
			taxPricesIncludeTax: tenants.taxPricesIncludeTax,
			taxOriginCountry: tenants.taxOriginCountry,
			taxOriginRegion: tenants.taxOriginRegion,
			taxRegistrations: tenants.taxRegistrations,
			taxOssRegistered: tenants.taxOssRegistered,
			taxEuDistanceSalesAboveThreshold: tenants.taxEuDistanceSalesAboveThreshold,
			defaultCurrency: tenants.defaultCurrency,
			timeZone: tenants.timeZone,
		})
		.from(tenants)
		.where(eq(tenants.id, sql.placeholder("tenantId"))),
);
const tenantRates = preparedQuery((db) =>
	db
		.select()
		.from(taxRates)
		.where(eq(taxRates.tenantId, sql.placeholder("tenantId")))
		.orderBy(asc(taxRates.id)),
);

/** The reads of a tenant's tax setup, for a caller's batch (then `taxSetupFrom` on their results). */
export const taxSetupQueries = (ctx: Pick<ServiceContext, "db" | "tenantId">) =>
	[tenantTaxRow(ctx.db, { tenantId: ctx.tenantId }), tenantRates(ctx.db, { tenantId: ctx.tenantId })] as const;

type TaxSetupRows = readonly [
	{
		[K in keyof typeof tenants.$inferSelect as K extends `tax${string}` | "defaultCurrency" | "timeZone"
			? K
			: never]: (typeof tenants.$inferSelect)[K];
	}[],
	(typeof taxRates.$inferSelect)[],
];

/** The invoice-pricing part of what `taxSetupQueries` read; null without such a tenant. */
export function invoiceTaxSetupFrom([[row], rates]: TaxSetupRows): InvoiceTaxSetup | null {
	if (!row) return null;
	return {
		seller:
			row.taxOriginCountry === null
				? null
				: {
						originCountry: row.taxOriginCountry,
						originRegion: row.taxOriginRegion,
						registrations: row.taxRegistrations,
						ossRegistered: row.taxOssRegistered,
						euDistanceSalesAboveThreshold: row.taxEuDistanceSalesAboveThreshold,
					},
		rounding: row.taxRounding,
		pricesIncludeTax: row.taxPricesIncludeTax,
		rates: rates.map(presentTenantRate),
	};
}

/** The tenant's tax setup as `taxSetupQueries` read it, and its business date; null without such a tenant. */
export function taxSetupFrom(rows: TaxSetupRows, now: Date): TenantTaxSetup | null {
	const setup = invoiceTaxSetupFrom(rows);
	const [[row]] = rows;
	if (!setup || !row) return null;
	return { ...setup, defaultCurrency: row.defaultCurrency, today: localDate(now, row.timeZone) };
}

/** What the engine needs of a tenant: its seller setup, rounding, its own rates, and its business date. */
export async function loadTenantTaxSetup(ctx: ServiceContext): Promise<TenantTaxSetup> {
	const setup = taxSetupFrom(await ctx.db.batch(taxSetupQueries(ctx)), ctx.clock.now());
	if (!setup) throw notFound("tenant", ctx.tenantId);
	return setup;
}
