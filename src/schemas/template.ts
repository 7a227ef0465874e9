import { z } from "zod";
import type { documentTemplates } from "../db/schema";
import { TEMPLATE_KINDS } from "../domain/templates";
import { paginationQuery, timestamp } from "./common";

const locale = z
	.string()
	.min(2)
	.max(35)
	.refine((tag) => {
		try {
			return Intl.getCanonicalLocales(tag).length === 1;
		} catch {
			return false;
		}
	}, "is not a BCP 47 locale, e.g. de-DE");

const subject = z.string().trim().min(1).max(300);
const body = z.string().min(1).max(20_000);
const pdfFooter = z
	.string()
	.max(500)
	.nullable()
	.meta({ description: "Printed at the foot of every page of this kind's PDFs; plain text, no placeholders." });

export const templateCreateBody = z
	.strictObject({
		kind: z.enum(TEMPLATE_KINDS),
		locale: locale.meta({ description: "Used for tenants whose legal profile has this locale." }),
		subject,
		body: body.meta({
			description: "Plain text with `{{invoice.number}}`-style placeholders; the HTML part escapes it.",
		}),
		pdf_footer: pdfFooter.optional(),
	})
	.meta({
		id: "TemplateCreate",
		example: {
			kind: "invoice",
			locale: "de-DE",
			subject: "Rechnung {{invoice.number}}",
			body: "Guten Tag {{customer.name}},\n\nanbei Rechnung {{invoice.number}} über {{invoice.total}}.",
			pdf_footer: "Acme GmbH · Geschäftsführer: A. Müller · HRB 12345",
		},
	});

export const templateUpdateBody = z
	.strictObject({ subject: subject.optional(), body: body.optional(), pdf_footer: pdfFooter.optional() })
	.meta({ id: "TemplateUpdate" });

export const templateSchema = z
	.object({
		id: z.string(),
		object: z.literal("template"),
		kind: z.enum(TEMPLATE_KINDS),
		locale: z.string(),
		subject: z.string(),
		body: z.string(),
		pdf_footer: z.string().nullable(),
		placeholders: z.array(z.string()).meta({ description: "What this kind of template may use." }),
		version: z.number().int(),
		created_at: timestamp,
		updated_at: timestamp,
	})
	.meta({ id: "Template" });

export const templateListQuery = paginationQuery.extend({ kind: z.enum(TEMPLATE_KINDS).optional() });
export type TemplateListQuery = z.infer<typeof templateListQuery>;
export type TemplateRow = typeof documentTemplates.$inferSelect;
