import { asc, eq } from "drizzle-orm";
import { dunningRules } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import type { ServiceContext } from "../../lib/context";
import { fieldInvalid, notFound } from "../../lib/errors";
import type { DunningRuleRow } from "../../schemas/dunning";

export async function loadDunningRule(ctx: ServiceContext, id: string): Promise<DunningRuleRow> {
	const row = await ctx.db
		.select()
		.from(dunningRules)
		.where(idInTenant(dunningRules, ctx.tenantId, id))
		.get();
	if (!row) throw notFound("dunning rule", id);
	return row;
}

/** Every rule of the tenant, oldest first. */
export const tenantDunningRules = (ctx: ServiceContext): Promise<DunningRuleRow[]> =>
	ctx.db.select().from(dunningRules).where(eq(dunningRules.tenantId, ctx.tenantId)).orderBy(asc(dunningRules.id));

/** Refuses a `dunning_rule_id` that names no rule of the tenant, naming the field. */
export async function requireDunningRule(ctx: ServiceContext, id: string) {
	const row = await ctx.db
		.select({ id: dunningRules.id })
		.from(dunningRules)
		.where(idInTenant(dunningRules, ctx.tenantId, id))
		.get();
	if (!row) throw fieldInvalid("body", "dunning_rule_id", `no dunning rule '${id}' exists`);
}
