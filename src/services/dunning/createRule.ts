import { runBatch } from "../../db/client";
import { dunningRules } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { newId } from "../../lib/ids";
import { type DunningRuleInput, type DunningRuleRow, presentDunningRule } from "../../schemas/dunning";
import { changeStatements } from "../changeLog";
import { checkDunningSteps } from "./checkRule";
import { clearOtherDefaults } from "./defaultRule";

export async function createDunningRule({ ctx, input }: { ctx: ServiceContext; input: DunningRuleInput }) {
	const steps = input.steps.map((step) => ({ ...step, template_id: step.template_id ?? null }));
	await checkDunningSteps(ctx, steps);
	const now = ctx.clock.now().toISOString();
	const row: DunningRuleRow = {
		id: newId("dunningRule"),
		tenantId: ctx.tenantId,
		name: input.name,
		steps,
		escalation: input.escalation ?? null,
		currency: input.currency ?? null,
		isDefault: input.is_default ?? false,
		active: input.active ?? true,
		version: 1,
		createdAt: now,
		updatedAt: now,
	};
	await runBatch(ctx.db, [
		...(row.isDefault ? [clearOtherDefaults(ctx, row.id)] : []),
		ctx.db.insert(dunningRules).values(row),
		...changeStatements(ctx, {
			action: "dunning_rule.created",
			target: { type: "dunning_rule", id: row.id },
			before: null,
			after: presentDunningRule(row),
			event: null,
			answers: { status: 201, location: `/v1/billing/dunning/rules/${row.id}`, version: row.version },
		}),
	]);
	return presentDunningRule(row);
}
