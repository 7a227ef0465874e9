import { eq } from "drizzle-orm";
import { tenants } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";

/** The tenant's default currency: reports add money up in it, seed 001's amounts are in it. */
export async function defaultCurrency(ctx: ServiceContext): Promise<string> {
	const tenant = await ctx.db
		.select({ currency: tenants.defaultCurrency })
		.from(tenants)
		.where(eq(tenants.id, ctx.tenantId))
		.get();
	if (!tenant) throw new Error(`tenant ${ctx.tenantId} is missing`);
	return tenant.currency;
}

/** `YYYY-MM` of a date or timestamp. */
export const monthOf = (date: string) => date.slice(0, 7);
