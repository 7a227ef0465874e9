import { and, eq, ne, sql } from "drizzle-orm";
import { dunningRules } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";

/** The statement that takes the default mark off the tenant's other rules, so `ruleId` can carry it. */
export const clearOtherDefaults = (ctx: ServiceContext, ruleId: string) =>
	ctx.db
		.update(dunningRules)
		.set({ isDefault: false, version: sql`${dunningRules.version} + 1`, updatedAt: ctx.clock.now().toISOString() })
		.where(and(eq(dunningRules.tenantId, ctx.tenantId), eq(dunningRules.isDefault, true), ne(dunningRules.id, ruleId)));
