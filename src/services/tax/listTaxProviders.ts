import { asc, eq } from "drizzle-orm";
import { taxProviders } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { presentTaxProvider } from "./createTaxProvider";

export async function listTaxProviders({ ctx }: { ctx: ServiceContext }) {
	const rows = await ctx.db
		.select()
		.from(taxProviders)
		.where(eq(taxProviders.tenantId, ctx.tenantId))
		.orderBy(asc(taxProviders.id));
	const data = rows.map(presentTaxProvider);
	return { object: "list" as const, data, has_more: false, next_cursor: null, limit: data.length };
}
