import type { MiddlewareHandler } from "hono";
import { config } from "../env";
import type { AppBindings } from "../lib/context";
import { AppError } from "../lib/errors";

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;
const NDJSON_TYPE = /^application\/(?:x-)?ndjson\b/i;
const UPLOAD_PATH = /^\/v1\/billing\/uploads\/?$/;

/**
 * Refuses bodies that no route could accept: too large (413), not JSON or NDJSON (415), or JSON that
 * does not parse (400). The body is read once here, kept for idempotency hashing, and parsed for validation.
 */
export const bodyGuard: MiddlewareHandler<AppBindings> = async (c, next) => {
	if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS") return next();
	// An upload is a file of any type, stored as it comes under its own size limit (routes/uploads).
	if (c.req.method === "PUT" && UPLOAD_PATH.test(c.req.path)) return next();
	const limit = config(c.env).maxBodyBytes;
	const declared = Number(c.req.header("content-length") ?? "0");
	if (declared > limit) throw tooLarge(limit);
	// Read once, through Hono's cache: a route validates the body parsed here (ApiRoute.getUnvalidatedData).
	const text = await c.req.text();
	// A UTF-16 code unit is at most 3 UTF-8 bytes: only a body that might be over the limit is encoded.
	if (text.length * 3 > limit && new TextEncoder().encode(text).byteLength > limit) throw tooLarge(limit);
	c.set("rawBody", text);
	if (text.length === 0) return next();
	const contentType = c.req.header("content-type") ?? "";
	if (NDJSON_TYPE.test(contentType)) return next();
	if (!JSON_TYPE.test(contentType)) {
		throw new AppError(
			"unsupported_media_type",
			`Content-Type '${contentType || "(none)"}' is not supported; send application/json.`,
			{ headers: { "Accept-Post": "application/json, application/x-ndjson" } },
		);
	}
	try {
		c.set("jsonBody", JSON.parse(text));
	} catch (error) {
		throw new AppError("malformed_json", `The request body is not valid JSON: ${(error as Error).message}`);
	}
	return next();
};

const tooLarge = (limit: number) =>
	new AppError("payload_too_large", `The request body exceeds the limit of ${limit} bytes.`, {
		extensions: { limit_bytes: limit },
	});
