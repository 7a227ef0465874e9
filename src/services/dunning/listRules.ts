import { and, eq } from "drizzle-orm";
import { dunningRules } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { type DunningRuleListQuery, presentDunningRule } from "../../schemas/dunning";
import { paginate } from "../pagination";

export const listDunningRules = ({ ctx, query }: { ctx: ServiceContext; query: DunningRuleListQuery }) =>
	paginate({
		query,
		idColumn: dunningRules.id,
		run: (page) =>
			ctx.db
				.select()
				.from(dunningRules)
				.where(
					and(
						eq(dunningRules.tenantId, ctx.tenantId),
						query.active ? eq(dunningRules.active, query.active === "true") : undefined,
						page.where,
					),
				)
				.orderBy(...page.orderBy)
				.limit(page.limit)
				.offset(page.offset),
		present: presentDunningRule,
	});
