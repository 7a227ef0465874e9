import { and, eq, sql } from "drizzle-orm";
import { preparedQuery } from "../../db/client";
import { customers } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { notFound } from "../../lib/errors";

const customerById = preparedQuery((db) =>
	db
		.select()
		.from(customers)
		.where(and(eq(customers.tenantId, sql.placeholder("tenantId")), eq(customers.id, sql.placeholder("id")))),
);

/** The tenant's customer as an item of a batch (no row when the tenant has no such customer). */
export const customerRowQuery = (ctx: Pick<ServiceContext, "db" | "tenantId">, id: string) =>
	customerById(ctx.db, { tenantId: ctx.tenantId, id });

/** The tenant's customer, or a 404 that does not say whether the id exists for another tenant. */
export async function loadCustomer(ctx: ServiceContext, id: string) {
	const [[row]] = await ctx.db.batch([customerRowQuery(ctx, id)]);
	if (!row) throw notFound("customer", id);
	return row;
}
