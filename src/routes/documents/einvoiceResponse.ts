import { z } from "zod";
import { einvoiceFormat } from "../../schemas/einvoice";
import type { EInvoiceFile } from "../../services/einvoices/einvoiceFiles";

/** `?format=` of an e-invoice download. */
export const einvoiceQuery = z.object({ format: einvoiceFormat });

/** The OpenAPI response of an e-invoice download. */
export const einvoiceContent = {
	description:
		"The stored e-invoice (its SHA-256 as ETag): XML for ubl, xrechnung and cii, PDF/A-3 for facturx and zugferd",
	content: {
		"application/xml": { schema: { type: "string" as const } },
		"application/pdf": { schema: { type: "string" as const, format: "binary" } },
	},
};

/** Streams a stored e-invoice; a client that already holds it (If-None-Match) gets 304. */
export function einvoiceResponse(file: EInvoiceFile, ifNoneMatch: string | undefined): Response {
	const headers: Record<string, string> = {
		"Content-Type": file.contentType,
		"Content-Disposition": `attachment; filename="${file.filename.replace(/["\\\r\n]/g, "_")}"`,
		"Cache-Control": "private, max-age=31536000, immutable",
		ETag: file.etag,
	};
	if (ifNoneMatch === file.etag) {
		file.body.cancel();
		return new Response(null, { status: 304, headers });
	}
	return new Response(file.body, { headers });
}
