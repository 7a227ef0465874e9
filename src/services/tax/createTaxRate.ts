import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import { runBatch } from "../../db/client";
import { taxRates } from "../../db/schema";
import { formatDecimal } from "../../domain/decimal";
import { isKnownRegion } from "../../domain/tax/countries";
import type { ServiceContext } from "../../lib/context";
import { messageOf } from "../../lib/dbErrors";
import { AppError, fieldInvalid } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { taxRateBody } from "../../schemas/tax";
import { changeStatements } from "../changeLog";
import { presentRate } from "./listTaxRates";
import { presentTenantRate } from "./tenantTaxSetup";

const overlaps = (a: { validFrom: string; validTo: string | null }, b: { validFrom: string; validTo: string | null }) =>
	(a.validTo === null || b.validFrom <= a.validTo) && (b.validTo === null || a.validFrom <= b.validTo);

/**
 * Adds a rate of the tenant's own: a place (country, region, postal prefix), a tax code and a jurisdiction
 * from a day on. It overrides a built-in rate of the same place, code and jurisdiction; two of the tenant's
 * own for the same ones may not overlap in time.
 */
export async function createTaxRate({ ctx, input }: { ctx: ServiceContext; input: z.infer<typeof taxRateBody> }) {
	const region = input.region ?? null;
	if (region !== null && !isKnownRegion(input.country, region)) {
		throw fieldInvalid("body", "region", `is not a region of ${input.country}`);
	}
	const jurisdiction = input.jurisdiction ?? (region ? `${input.country}-${region}` : input.country);
	if (jurisdiction !== input.country && !jurisdiction.startsWith(`${input.country}-`)) {
		throw fieldInvalid("body", "jurisdiction", `must be ${input.country} or start with ${input.country}-`);
	}
	const rate = formatDecimal(input.rate);
	const row: typeof taxRates.$inferSelect = {
		id: newId("taxRate"),
		tenantId: ctx.tenantId,
		country: input.country,
		region,
		postalPrefix: input.postal_prefix ?? null,
		taxCode: input.tax_code,
		jurisdiction,
		name: input.name,
		rate,
		category: input.category ?? (input.rate.units === 0n ? "Z" : "S"),
		stacking: input.stacking,
		validFrom: input.valid_from,
		validTo: input.valid_to ?? null,
		createdAt: ctx.clock.now().toISOString(),
	};
	const siblings = await ctx.db
		.select()
		.from(taxRates)
		.where(
			and(eq(taxRates.tenantId, ctx.tenantId), eq(taxRates.country, row.country), eq(taxRates.taxCode, row.taxCode)),
		);
	const clash = siblings.find(
		(other) =>
			other.region === row.region &&
			other.postalPrefix === row.postalPrefix &&
			other.jurisdiction === row.jurisdiction &&
			overlaps(other, row),
	);
	if (clash) {
		throw new AppError(
			"conflict",
			`Tax rate ${clash.id} already applies to this place, code and jurisdiction from ${clash.validFrom}${clash.validTo ? ` to ${clash.validTo}` : ""}.`,
			{ extensions: { conflicting_id: clash.id } },
		);
	}
	const presented = presentRate(presentTenantRate(row));
	try {
		await runBatch(ctx.db, [
			ctx.db.insert(taxRates).values(row),
			...changeStatements(ctx, {
				action: "tax_rate.created",
				target: { type: "tax_rate", id: row.id },
				before: null,
				after: presented,
				event: null,
				answers: { status: 201 },
			}),
		]);
	} catch (error) {
		// A rate for the same place added at the same moment: the database refused this one.
		if (messageOf(error).includes("tax_rate_overlap")) {
			throw new AppError(
				"conflict",
				"Another tax rate of the tenant now covers this place, code, jurisdiction and days.",
			);
		}
		throw error;
	}
	return presented;
}
