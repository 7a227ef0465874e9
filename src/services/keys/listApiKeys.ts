import { and, eq } from "drizzle-orm";
import { apiKeys } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { presentApiKey } from "../../schemas/apiKey";
import type { PaginationQuery } from "../../schemas/common";
import { paginate } from "../pagination";

export const listApiKeys = ({ ctx, query }: { ctx: ServiceContext; query: PaginationQuery }) =>
	paginate({
		query,
		idColumn: apiKeys.id,
		run: (page) =>
			ctx.db
				.select()
				.from(apiKeys)
				.where(and(eq(apiKeys.tenantId, ctx.tenantId), page.where))
				.orderBy(...page.orderBy)
				.limit(page.limit)
				.offset(page.offset),
		present: presentApiKey,
	});
