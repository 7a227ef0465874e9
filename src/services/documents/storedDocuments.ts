import { and, eq, inArray } from "drizzle-orm";
import { documents } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { sha256Hex } from "../../lib/crypto";
import { newId } from "../../lib/ids";

export type DocumentRow = typeof documents.$inferSelect;
export type DocumentKind = DocumentRow["kind"];
export type DocumentFormat = DocumentRow["format"];

const PDF = "application/pdf";
const XML = "application/xml";

/** Factur-X and ZUGFeRD files are PDFs (with their XML inside); the other e-invoices are XML. */
export const contentTypeOf = (format: DocumentFormat) =>
	format === "pdf" || format === "facturx" || format === "zugferd" ? PDF : XML;

/** Where a source's issued file lives: one key per tenant, kind, source and format, so it is written once. */
export const documentKey = (tenantId: string, kind: DocumentKind, sourceId: string, format: DocumentFormat = "pdf") =>
	format === "pdf"
		? `tenants/${tenantId}/documents/${kind}/${sourceId}.pdf`
		: `tenants/${tenantId}/documents/${kind}/${sourceId}.${format}.${contentTypeOf(format) === PDF ? "pdf" : "xml"}`;

export async function findDocument(
	ctx: ServiceContext,
	kind: DocumentKind,
	sourceId: string,
	format: DocumentFormat = "pdf",
) {
	return (
		(await ctx.db
			.select()
			.from(documents)
			.where(
				and(
					eq(documents.tenantId, ctx.tenantId),
					eq(documents.kind, kind),
					eq(documents.sourceId, sourceId),
					eq(documents.format, format),
				),
			)
			.get()) ?? null
	);
}

export async function documentsOf(ctx: ServiceContext, kind: DocumentKind, sourceIds: string[]) {
	if (sourceIds.length === 0) return [];
	return ctx.db
		.select()
		.from(documents)
		.where(and(eq(documents.tenantId, ctx.tenantId), eq(documents.kind, kind), inArray(documents.sourceId, sourceIds)));
}

/**
 * Stores an issued document once. The R2 write only creates (`etagDoesNotMatch: "*"`), so of two
 * renderings racing for the same source the first file stays and both record that one, with its SHA-256.
 */
export async function storeDocument(
	ctx: ServiceContext,
	kind: DocumentKind,
	sourceId: string,
	bytes: Uint8Array,
	format: DocumentFormat = "pdf",
): Promise<DocumentRow> {
	const key = documentKey(ctx.tenantId, kind, sourceId, format);
	const contentType = contentTypeOf(format);
	const sha256 = await sha256Hex(bytes);
	const written = await ctx.env.FILES.put(key, bytes, {
		onlyIf: { etagDoesNotMatch: "*" },
		sha256,
		httpMetadata: { contentType },
		customMetadata: { sha256 },
	});
	const stored = written ?? (await ctx.env.FILES.head(key));
	if (!stored) throw new Error(`the document ${key} was neither written nor found`);
	await ctx.db
		.insert(documents)
		.values({
			id: newId("document"),
			tenantId: ctx.tenantId,
			kind,
			sourceId,
			format,
			r2Key: key,
			contentType,
			size: stored.size,
			sha256: stored.customMetadata?.sha256 ?? sha256,
			createdAt: ctx.clock.now().toISOString(),
		})
		.onConflictDoNothing();
	return (await findDocument(ctx, kind, sourceId, format)) as DocumentRow;
}
