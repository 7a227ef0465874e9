import type { MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { routePath } from "hono/route";
import { runBatch } from "../db/client";
import { addSeconds } from "../lib/clock";
import { type AppBindings, isTenantAuth } from "../lib/context";
import { sha256Hex } from "../lib/crypto";
import { type ErrorCode, fieldInvalid } from "../lib/errors";
import { isMutation } from "../lib/http";
import {
	answerIfKeyTaken,
	answerKey,
	answerTakenKey,
	completeKey,
	isKeyTaken,
	type RequestKey,
	releaseKey,
} from "../lib/idempotency";

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
 * `Idempotency-Key` on mutations (ARCHITECTURE.md conventions): the first request takes the key; a
 * replay returns the stored status and body with `Idempotent-Replayed: true`; the same key with a
 * different request is 422; a duplicate that arrives while the first is running is 409.
 * A route's change answers the key in its own commit (`Change.answers`); a route of several commits claims
 * the key before its handler runs (`ApiRoute.claimsKeyFirst`) and its answer is stored here, as is a failure's.
 */
export const idempotency: MiddlewareHandler<AppBindings> = async (c, next) => {
	const key = c.req.header("idempotency-key");
	const auth = c.get("auth");
	if (key === undefined || !auth || !isMutation(c.req.method)) return next();
	if (!KEY_FORMAT.test(key)) {
		throw fieldInvalid("header", "Idempotency-Key", "must be 1 to 255 printable ASCII characters");
	}
	const url = new URL(c.req.url);
	const now = c.get("clock").now().toISOString();
	const requestKey: RequestKey = {
		scope: isTenantAuth(auth) ? auth.tenantId : "operator",
		key,
		requestHash: await sha256Hex(`${c.req.method} ${url.pathname}${url.search}\n${c.get("rawBody") ?? ""}`),
		now,
		lockedUntil: addSeconds(now, LOCK_SECONDS),
		expiresAt: addSeconds(now, IDEMPOTENCY_RETENTION_SECONDS),
		held: false,
		answered: false,
		taken: false,
	};
	c.set("idempotencyKey", requestKey);
	await next();
	if (requestKey.answered || requestKey.taken) return;

	const db = c.get("db");
	const status = c.res.status;
	const errorCode = c.get("errorCode");
	if (status >= 500 || (errorCode && RELEASING_CODES.has(errorCode))) {
		if (requestKey.held) await releaseKey(db, requestKey);
		else if (errorCode === "validation_failed") await answerIfKeyTaken(db, requestKey);
		return;
	}
	const headers: Record<string, string> = {};
	for (const name of REPLAYED_HEADERS) {
		const value = c.res.headers.get(name);
		if (value !== null) headers[name] = value;
	}
	const response = { status, headers, body: await c.res.clone().text() };
	if (requestKey.held) {
		await db.batch([completeKey(db, requestKey, response)]);
		return;
	}
	// A success that recorded a change and whose commit did not answer: a route that neither claims its key
	// first nor marks its change `answers`. Stored here all the same, not atomically with the change: a defect
	// to mend in the route.
	if (status < 400 && requestKey.recorded && !requestKey.unchanged) {
		c.get("logger").error("idempotency_answer_missing", { method: c.req.method, route: routePath(c, -1) });
	}
	// Not claimed (its route answers in its commit, which did not happen): stored unless another request
	// took the key since. Then that request's answer is this one's: a retry that raced the first attempt
	// and failed on the state the first left (an invoice it already voided) replays the first.
	await runBatch(db, [answerKey(db, requestKey, response)]).catch(async (error) => {
		if (!isKeyTaken(error)) throw error;
		c.res = await answerTakenKey(db, requestKey).catch((taken) => {
			if (taken instanceof HTTPException) return taken.getResponse();
			return c.res;
		});
	});
};
