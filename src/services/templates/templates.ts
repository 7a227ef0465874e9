import { and, desc, eq } from "drizzle-orm";
import type { z } from "zod";
import { documentTemplates } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import { PLACEHOLDERS, type TemplateKind, unknownPlaceholders } from "../../domain/templates";
import type { ServiceContext } from "../../lib/context";
import { fieldInvalid, notFound } from "../../lib/errors";
import { committedOnVersion } from "../../lib/etag";
import { newId } from "../../lib/ids";
import type { TemplateListQuery, TemplateRow, templateCreateBody, templateUpdateBody } from "../../schemas/template";
import { changeStatements } from "../changeLog";
import { localeOf, type TenantRow } from "../documents/parties";
import { paginate } from "../pagination";

type TemplateCreateInput = z.infer<typeof templateCreateBody>;
type TemplateUpdateInput = z.infer<typeof templateUpdateBody>;

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

export const presentTemplate = (row: TemplateRow) => ({
	id: row.id,
	object: "template" as const,
	kind: row.kind,
	locale: row.locale,
	subject: row.subject,
	body: row.body,
	pdf_footer: row.pdfFooter,
	placeholders: [...PLACEHOLDERS[row.kind]],
	version: row.version,
	created_at: row.createdAt,
	updated_at: row.updatedAt,
});

/** Refuses text whose placeholders this kind cannot fill (the footer takes none), naming the field. */
function checkPlaceholders(
	kind: TemplateKind,
	fields: { subject?: string; body?: string; pdf_footer?: string | null },
) {
	for (const field of ["subject", "body"] as const) {
		const unknown = unknownPlaceholders(fields[field] ?? "", kind);
		if (unknown.length > 0) {
			throw fieldInvalid(
				"body",
				field,
				`unknown placeholder ${unknown.map((p) => `{{${p}}}`).join(", ")}; a ${kind} template may use ${PLACEHOLDERS[kind].join(", ")}`,
			);
		}
	}
	if (fields.pdf_footer && /\{\{/.test(fields.pdf_footer)) {
		throw fieldInvalid("body", "pdf_footer", "takes no placeholders: it is printed as written");
	}
}

async function loadTemplate(ctx: ServiceContext, id: string) {
	const row = await ctx.db
		.select()
		.from(documentTemplates)
		.where(and(eq(documentTemplates.tenantId, ctx.tenantId), eq(documentTemplates.id, id)))
		.get();
	if (!row) throw notFound("template", id);
	return row;
}

export const getTemplate = async ({ ctx, id }: { ctx: ServiceContext; id: string }) =>
	presentTemplate(await loadTemplate(ctx, id));

export async function createTemplate({ ctx, input }: { ctx: ServiceContext; input: TemplateCreateInput }) {
	checkPlaceholders(input.kind, input);
	const now = ctx.clock.now().toISOString();
	const row: TemplateRow = {
		id: newId("template"),
		tenantId: ctx.tenantId,
		kind: input.kind,
		locale: input.locale,
		subject: input.subject,
		body: input.body,
		pdfFooter: input.pdf_footer ?? null,
		version: 1,
		createdAt: now,
		updatedAt: now,
	};
	const presented = presentTemplate(row);
	await ctx.db.batch([
		ctx.db.insert(documentTemplates).values(row),
		...changeStatements(ctx, {
			action: "template.created",
			target: { type: "template", id: row.id },
			before: null,
			after: presented,
			event: null,
			answers: { status: 201, location: `/v1/billing/templates/${row.id}` },
		}),
	]);
	return presented;
}

/** Changes a template; messages already sent keep what they said, PDFs already issued keep their footer. */
export async function updateTemplate({
	ctx,
	id,
	patch,
}: {
	ctx: ServiceContext;
	id: string;
	patch: TemplateUpdateInput;
}) {
	const current = await loadTemplate(ctx, id);
	checkPlaceholders(current.kind, patch);
	const next: TemplateRow = {
		...current,
		subject: patch.subject ?? current.subject,
		body: patch.body ?? current.body,
		pdfFooter: patch.pdf_footer === undefined ? current.pdfFooter : patch.pdf_footer,
		version: current.version + 1,
		updatedAt: ctx.clock.now().toISOString(),
	};
	// A concurrent update moved the version first: the trigger refuses this batch whole.
	await committedOnVersion("template", () =>
		ctx.db.batch([
			ctx.db
				.update(documentTemplates)
				.set({
					subject: next.subject,
					body: next.body,
					pdfFooter: next.pdfFooter,
					version: next.version,
					updatedAt: next.updatedAt,
				})
				.where(idInTenant(documentTemplates, ctx.tenantId, id)),
			...changeStatements(ctx, {
				action: "template.updated",
				target: { type: "template", id },
				before: presentTemplate(current),
				after: presentTemplate(next),
				event: null,
				answers: { status: 200 },
			}),
		]),
	);
	return presentTemplate(next);
}

export const listTemplates = ({ ctx, query }: { ctx: ServiceContext; query: TemplateListQuery }) =>
	paginate({
		query,
		idColumn: documentTemplates.id,
		run: (page) =>
			ctx.db
				.select()
				.from(documentTemplates)
				.where(
					and(
						eq(documentTemplates.tenantId, ctx.tenantId),
						query.kind ? eq(documentTemplates.kind, query.kind) : undefined,
						page.where,
					),
				)
				.orderBy(...page.orderBy)
				.limit(page.limit)
				.offset(page.offset),
		present: presentTemplate,
	});
