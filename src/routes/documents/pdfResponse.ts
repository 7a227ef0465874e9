import type { PdfFile } from "../../services/documents/issuedDocuments";

/** The OpenAPI response of a PDF download. */
export const pdfContent = {
	description: "The PDF: an issued document's stored file (its SHA-256 as ETag), or a draft rendered now",
	content: { "application/pdf": { schema: { type: "string" as const, format: "binary" } } },
};

/** Streams a PDF; a client that already holds the stored file (If-None-Match) gets 304. */
export function pdfResponse(file: PdfFile, ifNoneMatch: string | undefined): Response {
	const headers: Record<string, string> = {
		"Content-Type": "application/pdf",
		"Content-Disposition": `inline; filename="${file.filename.replace(/["\\\r\n]/g, "_")}"`,
		"Cache-Control": file.etag ? "private, max-age=31536000, immutable" : "no-store",
	};
	if (file.etag) headers.ETag = file.etag;
	if (file.etag && ifNoneMatch === file.etag) {
		if (file.body instanceof ReadableStream) file.body.cancel();
		return new Response(null, { status: 304, headers });
	}
	return new Response(file.body, { headers });
}
