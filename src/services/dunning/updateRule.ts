import { runBatch } from "../../db/client";
import { dunningRules } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import type { ServiceContext } from "../../lib/context";
import { committedOnVersion, requireVersion } from "../../lib/etag";
import { type DunningRuleRow, type DunningRuleUpdate, presentDunningRule } from "../../schemas/dunning";
import { changeStatements } from "../changeLog";
import { checkDunningSteps } from "./checkRule";
import { clearOtherDefaults } from "./defaultRule";
import { loadDunningRule } from "./loadRule";

/** Changes a rule; steps already taken stay taken, a step added later is taken at the next run. */
export async function updateDunningRule({
	ctx,
	id,
	patch,
	expectedVersion,
}: {
	ctx: ServiceContext;
	id: string;
	patch: Omit<DunningRuleUpdate, "version">;
	expectedVersion?: number;
}) {
	const current = await loadDunningRule(ctx, id);
	requireVersion("dunning rule", expectedVersion, current.version);
	const steps = patch.steps
		? patch.steps.map((step) => ({ ...step, template_id: step.template_id ?? null }))
		: current.steps;
	if (patch.steps) await checkDunningSteps(ctx, steps);
	const next: DunningRuleRow = {
		...current,
		name: patch.name ?? current.name,
		steps,
		escalation: patch.escalation === undefined ? current.escalation : patch.escalation,
		currency: patch.currency === undefined ? current.currency : patch.currency,
		isDefault: patch.is_default ?? current.isDefault,
		active: patch.active ?? current.active,
		version: current.version + 1,
		updatedAt: ctx.clock.now().toISOString(),
	};
	const { id: _id, tenantId: _tenant, createdAt: _created, ...changes } = next;
	await committedOnVersion("dunning rule", () =>
		runBatch(ctx.db, [
			...(next.isDefault && !current.isDefault ? [clearOtherDefaults(ctx, id)] : []),
			ctx.db
				.update(dunningRules)
				.set(changes)
				.where(idInTenant(dunningRules, ctx.tenantId, id)),
			...changeStatements(ctx, {
				action: "dunning_rule.updated",
				target: { type: "dunning_rule", id },
				before: presentDunningRule(current),
				after: presentDunningRule(next),
				event: null,
				answers: { status: 200, version: next.version },
			}),
		]),
	);
	return presentDunningRule(next);
}
