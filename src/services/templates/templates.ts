import { and, desc, eq } from "drizzle-orm";
import { documentTemplates } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { fieldInvalid } from "../../lib/errors";
import { localeOf, type TenantRow } from "../documents/parties";

export type TemplateRow = typeof documentTemplates.$inferSelect;
type TemplateKind = TemplateRow["kind"];

/** The tenant's newest template of a kind in its locale, if it wrote one. */
export async function tenantTemplate(ctx: ServiceContext, kind: TemplateKind, locale: string) {
	return (
		(await ctx.db
			.select()
			.from(documentTemplates)
			.where(
				and(
					eq(documentTemplates.tenantId, ctx.tenantId),
					eq(documentTemplates.kind, kind),
					eq(documentTemplates.locale, locale),
				),
			)
			.orderBy(desc(documentTemplates.id))
			.get()) ?? null
	);
}

/** The footer the tenant's template of this kind gives its PDFs. */
export async function pdfFooter(ctx: ServiceContext, tenant: TenantRow, kind: TemplateKind): Promise<string | null> {
	return (await tenantTemplate(ctx, kind, localeOf(tenant)))?.pdfFooter ?? null;
}

/**
 * The template a message uses: the one named by `template_id` (which must be of this kind), else the
 * tenant's own for the kind and locale; null leaves the built-in default.
 */
export async function chosenTemplate(
	ctx: ServiceContext,
	kind: TemplateKind,
	locale: string,
	templateId: string | null | undefined,
): Promise<TemplateRow | null> {
	if (!templateId) return tenantTemplate(ctx, kind, locale);
	const row = await ctx.db
		.select()
		.from(documentTemplates)
		.where(and(eq(documentTemplates.tenantId, ctx.tenantId), eq(documentTemplates.id, templateId)))
		.get();
	if (!row) throw fieldInvalid("body", "template_id", `no template '${templateId}' exists`);
	if (row.kind !== kind) throw fieldInvalid("body", "template_id", `is a ${row.kind} template, not a ${kind} one`);
	return row;
}
