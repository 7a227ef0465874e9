import { collectionCases } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import type { ServiceContext } from "../../lib/context";
import { notFound } from "../../lib/errors";
import type { CollectionCaseRow } from "../../schemas/dunning";

export async function loadCollectionCase(ctx: ServiceContext, id: string): Promise<CollectionCaseRow> {
	const row = await ctx.db
		.select()
		.from(collectionCases)
		.where(idInTenant(collectionCases, ctx.tenantId, id))
		.get();
	if (!row) throw notFound("collection case", id);
	return row;
}
