import { and, eq, inArray } from "drizzle-orm";
import { documentTemplates } from "../../db/schema";
import { type DunningStep, stepProblems } from "../../domain/dunning";
import type { ServiceContext } from "../../lib/context";
import { AppError, type FieldError } from "../../lib/errors";

/**
 * Refuses steps out of order or out of range, and templates that are not the tenant's own reminder
 * templates, naming every field at fault.
 */
export async function checkDunningSteps(ctx: ServiceContext, steps: readonly DunningStep[]) {
	const errors: FieldError[] = stepProblems(steps).map((problem) => ({ location: "body", ...problem }));
	const templateIds = [...new Set(steps.flatMap((step) => (step.template_id ? [step.template_id] : [])))];
	const templates =
		templateIds.length === 0
			? []
			: await ctx.db
					.select({ id: documentTemplates.id, kind: documentTemplates.kind })
					.from(documentTemplates)
					.where(and(eq(documentTemplates.tenantId, ctx.tenantId), inArray(documentTemplates.id, templateIds)));
	steps.forEach((step, index) => {
		if (!step.template_id || step.action !== "email") return;
		const template = templates.find((t) => t.id === step.template_id);
		const message = !template
			? `no template '${step.template_id}' exists`
			: template.kind !== "reminder"
				? `is a template of kind ${template.kind}; an email step takes a reminder template`
				: null;
		if (message) errors.push({ location: "body", field: `steps.${index}.template_id`, message });
	});
	if (errors.length > 0) {
		throw new AppError("validation_failed", errors.map((e) => `${e.field}: ${e.message}`).join("; "), { errors });
	}
}
