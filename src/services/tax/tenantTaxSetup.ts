import { asc, eq } from "drizzle-orm";
import { taxRates, tenants } from "../../db/schema";
import { localDate } from "../../domain/billingPeriods";
import type { SellerTaxSetup, TaxRounding } from "../../domain/tax/engine";
import type { RateRecord } from "../../domain/tax/rates";
import type { ServiceContext } from "../../lib/context";
import { notFound } from "../../lib/errors";

export type TenantTaxSetup = {
	/** Null until the tenant sets its origin country (PATCH /v1/billing/settings). */
	seller: SellerTaxSetup | null;
	rounding: TaxRounding;
	pricesIncludeTax: boolean;
	defaultCurrency: string;
	today: string;
	rates: RateRecord[];
};

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

/** What the engine needs of a tenant: its seller setup, rounding, its own rates, and its business date. */
export async function loadTenantTaxSetup(ctx: ServiceContext): Promise<TenantTaxSetup> {
	const [tenant, rates] = await ctx.db.batch([
		ctx.db.select().from(tenants).where(eq(tenants.id, ctx.tenantId)),
		ctx.db.select().from(taxRates).where(eq(taxRates.tenantId, ctx.tenantId)).orderBy(asc(taxRates.id)),
	]);
	const row = tenant[0];
	if (!row) throw notFound("tenant", ctx.tenantId);
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
		defaultCurrency: row.defaultCurrency,
		today: localDate(ctx.clock.now(), row.timeZone),
		rates: rates.map(presentTenantRate),
	};
}
