import { eq } from "drizzle-orm";
import { tenants } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";

/** Reports add money up in one currency: the tenant's default one (invoices in others are left out). */
export async function reportCurrency(ctx: ServiceContext): Promise<string> {
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
