import { and, eq } from "drizzle-orm";
import { customers } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { notFound } from "../../lib/errors";

/** The tenant's customer, or a 404 that does not say whether the id exists for another tenant. */
export async function loadCustomer(ctx: ServiceContext, id: string) {
	const row = await ctx.db
		.select()
		.from(customers)
		.where(and(eq(customers.tenantId, ctx.tenantId), eq(customers.id, id)))
		.get();
	if (!row) throw notFound("customer", id);
	return row;
}
