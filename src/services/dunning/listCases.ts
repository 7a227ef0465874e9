import { and, eq } from "drizzle-orm";
import { collectionCases } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { type CollectionCaseListQuery, presentCollectionCase } from "../../schemas/dunning";
import { paginate } from "../pagination";

export const listCollectionCases = ({ ctx, query }: { ctx: ServiceContext; query: CollectionCaseListQuery }) =>
	paginate({
		query,
		idColumn: collectionCases.id,
		run: (page) =>
			ctx.db
				.select()
				.from(collectionCases)
				.where(
					and(
						eq(collectionCases.tenantId, ctx.tenantId),
						query.status ? eq(collectionCases.status, query.status) : undefined,
						query.customer_id ? eq(collectionCases.customerId, query.customer_id) : undefined,
						page.where,
					),
				)
				.orderBy(...page.orderBy)
				.limit(page.limit)
				.offset(page.offset),
		present: presentCollectionCase,
	});
