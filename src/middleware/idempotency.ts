import { and, eq } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { idempotencyKeys } from "../db/schema";
import { addSeconds } from "../lib/clock";
import type { AppBindings } from "../lib/context";
import { sha256Hex } from "../lib/crypto";
import { AppError, type ErrorCode, fieldInvalid } from "../lib/errors";
import { claimKey, completeKey, type RequestKey } from "../lib/idempotency";

const MUTATIONS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;
export const IDEMPOTENCY_RETENTION_SECONDS = 24 * 60 * 60;
/** A request that has held its key this long without finishing is presumed dead. */
const LOCK_SECONDS = 60;
const REPLAYED_HEADERS = ["content-type", "etag", "location"];
/** Failures that mean the request never started executing: the key is released so it can be retried. */
const RELEASING_CODES: ReadonlySet<ErrorCode> = new Set([
	"forbidden",
	"validation_failed",
	"malformed_json",
	"internal_error",
	"service_unavailable",
]);

/**
 * `Idempotency-Key` on mutations (ARCHITECTURE.md conventions): the first request claims the key;
 * a replay returns the stored status and body with `Idempotent-Replayed: true`; the same key with a
 * different request is 422; a duplicate that arrives while the first is running is 409.
 * An operation that commits in the account object may store its response in its own batch
 * (`completedInBatch`); otherwise the response is stored here once the handler answered.
 */
export const idempotency: MiddlewareHandler<AppBindings> = async (c, next) => {
	const key = c.req.header("idempotency-key");
	const auth = c.get("auth");
	if (key === undefined || !auth || !MUTATIONS.has(c.req.method)) return next();
	if (!KEY_FORMAT.test(key)) {
		throw fieldInvalid("header", "Idempotency-Key", "must be 1 to 255 printable ASCII characters");
	}
	const scope = auth.kind === "api_key" ? auth.tenantId : "operator";
	const url = new URL(c.req.url);
	const requestHash = await sha256Hex(`${c.req.method} ${url.pathname}${url.search}\n${c.get("rawBody") ?? ""}`);
	const now = c.get("clock").now().toISOString();
	const db = c.get("db");

	const [claimed] = await db.batch([
		claimKey(db, {
			scope,
			key,
			requestHash,
			now,
			lockedUntil: addSeconds(now, LOCK_SECONDS),
			expiresAt: addSeconds(now, IDEMPOTENCY_RETENTION_SECONDS),
		}),
	]);

	const where = and(eq(idempotencyKeys.tenantId, scope), eq(idempotencyKeys.key, key));
	if (claimed.length === 0) {
		const existing = await db.select().from(idempotencyKeys).where(where).get();
		if (!existing) throw new AppError("idempotency_in_progress", "The idempotency key was released; retry.");
		if (existing.requestHash !== requestHash) {
			throw new AppError(
				"idempotency_key_reused",
				"This Idempotency-Key was already used with a different request (method, path or body).",
			);
		}
		if (existing.state === "in_progress") {
			throw new AppError("idempotency_in_progress", "A request with this Idempotency-Key is still being processed.", {
				headers: { "Retry-After": "1" },
			});
		}
		return new Response(existing.responseBody, {
			status: existing.responseStatus ?? 200,
			headers: { ...existing.responseHeaders, "Idempotent-Replayed": "true" },
		});
	}

	const held: RequestKey = { scope, key, completedInBatch: false };
	c.set("idempotencyKey", held);
	await next();
	if (held.completedInBatch) return;

	const status = c.res.status;
	const errorCode = c.get("errorCode");
	if (status >= 500 || (errorCode && RELEASING_CODES.has(errorCode))) {
		await db.delete(idempotencyKeys).where(where);
		return;
	}
	const headers: Record<string, string> = {};
	for (const name of REPLAYED_HEADERS) {
		const value = c.res.headers.get(name);
		if (value !== null) headers[name] = value;
	}
	const body = await c.res.clone().text();
	await db.batch([completeKey(db, held, { status, headers, body })]);
};
