import { and, eq, sql } from "drizzle-orm";
import { runBatch } from "../../db/client";
import { customers, dunningRules } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import type { ServiceContext } from "../../lib/context";
import { presentDunningRule } from "../../schemas/dunning";
import { changeStatements } from "../changeLog";
import { loadDunningRule } from "./loadRule";

/**
 * Deletes a rule: its customers follow the tenant's default from now on, and the steps it took stay
 * recorded with its id.
 */
export async function deleteDunningRule({ ctx, id }: { ctx: ServiceContext; id: string }) {
	const current = await loadDunningRule(ctx, id);
	const deleted = { id, object: "dunning_rule" as const, deleted: true as const };
	await runBatch(ctx.db, [
		ctx.db.delete(dunningRules).where(idInTenant(dunningRules, ctx.tenantId, id)),
		ctx.db
			.update(customers)
			.set({ dunningRuleId: null, version: sql`${customers.version} + 1`, updatedAt: ctx.clock.now().toISOString() })
			.where(and(eq(customers.tenantId, ctx.tenantId), eq(customers.dunningRuleId, id))),
		...changeStatements(ctx, {
			action: "dunning_rule.deleted",
			target: { type: "dunning_rule", id },
			before: presentDunningRule(current),
			after: null,
			event: null,
			answers: { status: 200, body: deleted },
		}),
	]);
	return deleted;
}
