import { and, desc, eq } from "drizzle-orm";
import { documentTemplates } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { localeOf, type TenantRow } from "../documents/parties";

export type TemplateRow = typeof documentTemplates.$inferSelect;
export type TemplateKind = TemplateRow["kind"];

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
