// `Idempotency-Key` (ARCHITECTURE.md conventions). A request's key is either held (claimed before the
// handler runs, answered by the middleware after it) or answered in the commit batch of the operation
// itself, with no claim first: that batch inserts the answer, and fails whole if another request holds
// or answered the key meanwhile. Shared by the middleware, the route base class and the account object.
import { and, eq, getTableColumns, lte, type SQL, sql } from "drizzle-orm";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { bound, type Database, preparedQuery } from "../db/client";
import { idempotencyKeys } from "../db/schema";
import { Refusal, refusalOf } from "./dbErrors";
import { AppError } from "./errors";
import { etagFor } from "./etag";

/** A key and what answering it records: its scope (the tenant, or "operator"), the request's hash and times. */
export type KeyTerms = {
	scope: string;
	key: string;
	requestHash: string;
	now: string;
	lockedUntil: string;
	expiresAt: string;
};

/**
 * The key of an HTTP request and how far the request got with it: `held` once claimed before the
 * handler, `answered` once an operation stored the response in its own commit, `taken` when another
 * request's answer (or its hold) is what this request answers with; `recorded` once a batch of the request
 * recorded a change (`changeStatements`), `unchanged` when its success changed nothing after all, so had no
 * commit to answer in (`changedNothing`).
 */
export type RequestKey = KeyTerms & {
	held: boolean;
	answered: boolean;
	taken: boolean;
	recorded?: boolean;
	unchanged?: boolean;
};

/**
 * Says that the request succeeds without changing anything (a key revoked already): no commit answers its
 * key, the middleware stores its answer after the handler.
 */
export function changedNothing(ctx: { requestKey?: RequestKey }) {
	if (ctx.requestKey) ctx.requestKey.unchanged = true;
}

/** The terms alone, as an operation elsewhere (the account object) gets them. */
export const keyTermsOf = ({ scope, key, requestHash, now, lockedUntil, expiresAt }: KeyTerms): KeyTerms => ({
	scope,
	key,
	requestHash,
	now,
	lockedUntil,
	expiresAt,
});

/** What a replay of the key answers: the first response's status, replayed headers and body. */
export type StoredResponse = { status: number; headers: Record<string, string>; body: string };

/**
 * The answer to a created resource, as sent and as stored for the request's key: 201, JSON, its
 * `Location`, and its `ETag` when the resource is versioned.
 */
export const createdResponse = (location: string, resource: unknown, version?: number): StoredResponse => ({
	status: 201,
	headers: {
		"content-type": "application/json",
		...(version === undefined ? {} : { etag: etagFor(version) }),
		location,
	},
	body: JSON.stringify(resource),
});

/**
 * How a change answers the request that made it: the status, the resource's `Location` (when created)
 * and `ETag` (when versioned). The body is the change's `after` unless `body` says otherwise (`null`: no
 * body, as a 204 has none).
 */
export type ChangeAnswer = { status: 200 | 201 | 202 | 204; location?: string; version?: number; body?: unknown };

/** The answer `terms` give for a change that left `after`: what the route sends and the key replays. */
export function answerOf(terms: ChangeAnswer, after: unknown): StoredResponse {
	const noBody = terms.body === null;
	return {
		status: terms.status,
		headers: {
			...(noBody ? {} : { "content-type": "application/json" }),
			...(terms.version === undefined ? {} : { etag: etagFor(terms.version) }),
			...(terms.location === undefined ? {} : { location: terms.location }),
		},
		body: noBody ? "" : JSON.stringify(terms.body === undefined ? after : terms.body),
	};
}

/** The stored answer as an HTTP response: what a handler sends when it stored the answer itself. */
export const responseOf = (stored: StoredResponse) =>
	new Response(stored.body, { status: stored.status, headers: stored.headers });

const thisKey = and(
	eq(idempotencyKeys.tenantId, sql.placeholder("scope")),
	eq(idempotencyKeys.key, sql.placeholder("key")),
);

/** A stored key this request may take over: expired, or left in progress by a holder of the same request that died. */
const takeable = sql`(${idempotencyKeys.expiresAt} <= ${bound("now")} or (${idempotencyKeys.state} = 'in_progress' and ${idempotencyKeys.lockedUntil} <= ${bound("now")} and ${idempotencyKeys.requestHash} = ${bound("requestHash")}))`;

/** Claims a key: inserts it, or takes over one that expired or whose holder died. Built once. */
const claimKey = preparedQuery((db) => {
	const now = bound("now");
	const requestHash = bound("requestHash");
	const lockedUntil = bound("lockedUntil");
	const expiresAt = bound("expiresAt");
	return db
		.insert(idempotencyKeys)
		.values({
			tenantId: sql.placeholder("scope"),
			key: sql.placeholder("key"),
			requestHash,
			state: "in_progress",
			createdAt: now,
			lockedUntil,
			expiresAt,
		})
		.onConflictDoUpdate({
			target: [idempotencyKeys.tenantId, idempotencyKeys.key],
			set: {
				requestHash,
				state: "in_progress",
				responseStatus: null,
				responseBody: null,
				auditId: null,
				responseHeaders: null,
				createdAt: now,
				lockedUntil,
				expiresAt,
			},
			setWhere: takeable,
		})
		.returning({ key: idempotencyKeys.key });
});

/** A stored key, its body read from the audit row when the answer is the change its batch recorded. */
const storedKey = preparedQuery((db) =>
	db
		.select({
			...getTableColumns(idempotencyKeys),
			// Qualified by hand: drizzle leaves a one-table select's columns bare, which the subquery would
			// read as its own (any tenant's audit row).
			responseBody: sql<string | null>`coalesce("idempotency_keys"."response_body", (select "audit"."after"
				from "audit_log" "audit" where "audit"."tenant_id" = "idempotency_keys"."tenant_id"
				and "audit"."id" = "idempotency_keys"."audit_id"))`,
		})
		.from(idempotencyKeys)
		.where(thisKey),
);

const releaseStatement = preparedQuery((db) => db.delete(idempotencyKeys).where(thisKey));

/** Claims the request's key before its handler runs; a key held or answered by another request answers instead. */
export async function holdKey(db: Database, requestKey: RequestKey): Promise<void> {
	const [claimed] = await db.batch([claimKey(db, requestKey)]);
	if (claimed.length === 0) await answerTakenKey(db, requestKey);
	requestKey.held = true;
}

/** Gives a held key up, so the request can be retried with it. */
export const releaseKey = (db: Database, held: KeyTerms) => db.batch([releaseStatement(db, held)]);

/**
 * Answers a request whose key another request holds or answered: the stored response again (marked
 * `Idempotent-Replayed`, thrown as a ready response), or a problem when the requests differ or the
 * first still runs. Never returns.
 */
export async function answerTakenKey(db: Database, requestKey: RequestKey): Promise<never> {
	const [[existing]] = await db.batch([storedKey(db, requestKey)]);
	if (!existing) throw new AppError("idempotency_in_progress", "The idempotency key was released; retry.");
	return answerStoredKey(requestKey, existing);
}

/**
 * Answers a request that failed validation before any commit with the answer another request stored for
 * its key meanwhile, if one did: a retry of a change already made, refused on the state the change left
 * (the books already closed through that day), replays the change's answer.
 */
export async function answerIfKeyTaken(db: Database, requestKey: RequestKey): Promise<void> {
	const [[existing]] = await db.batch([storedKey(db, requestKey)]);
	if (existing) await answerStoredKey(requestKey, existing);
}

type StoredKey = ReturnType<typeof storedKey>["_"]["result"][number];

function answerStoredKey(requestKey: RequestKey, existing: StoredKey): never {
	requestKey.taken = true;
	if (existing.requestHash !== requestKey.requestHash) {
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
	// Thrown as Hono's ready response: the error handler sends it as it is.
	const status = (existing.responseStatus ?? 200) as ContentfulStatusCode;
	throw new HTTPException(status, {
		res: new Response(existing.responseBody, {
			status,
			headers: { ...existing.responseHeaders, "Idempotent-Replayed": "true" },
		}),
	});
}

/** A key held by this request: its answer replaces the claim. */
const completion = preparedQuery((db) =>
	db
		.update(idempotencyKeys)
		.set({
			state: "completed",
			responseStatus: bound("status"),
			responseBody: bound("body"),
			responseHeaders: bound("headers"),
		})
		.where(thisKey),
);

/** Stores the response a held key replays from now on. */
export const completeKey = (db: Database, held: KeyTerms, response: StoredResponse) =>
	completion(db, { ...held, status: response.status, body: response.body, headers: JSON.stringify(response.headers) });

/** Whether the key is in use by another request (a row), for an operation to check among its first reads. */
const keyInUseStatement = preparedQuery((db) =>
	db
		.select({ key: idempotencyKeys.key })
		.from(idempotencyKeys)
		.where(and(thisKey, sql`not ${takeable}`)),
);

/** `keyInUseStatement` for an operation that may have no key: then it finds nothing. */
export const keyInUse = (db: Database, key: KeyTerms | undefined) =>
	keyInUseStatement(db, key ?? { scope: "", key: "", now: "", requestHash: "" });

/**
 * An answer inserted by an operation's own batch: its body as sent, or the audit row that holds it. A
 * stored key is taken over in the same statement; the `idempotency_keys_live_kept` trigger fails the
 * statement, and with it the batch, when that key is another request's (held, or answered, unexpired).
 */
const answer = (stored: { body: SQL | null; auditId: SQL | null }) =>
	preparedQuery((db) => {
		const values = {
			requestHash: bound("requestHash"),
			state: "completed" as const,
			responseStatus: bound("status"),
			responseBody: stored.body,
			auditId: stored.auditId,
			responseHeaders: bound("headers"),
			createdAt: bound("now"),
			lockedUntil: bound("now"),
			expiresAt: bound("expiresAt"),
		};
		return db
			.insert(idempotencyKeys)
			.values({ tenantId: sql.placeholder("scope"), key: sql.placeholder("key"), ...values })
			.onConflictDoUpdate({ target: [idempotencyKeys.tenantId, idempotencyKeys.key], set: values });
	});

const asSent = answer({ body: bound("body"), auditId: null });
const asRecorded = answer({ body: null, auditId: bound("auditId") });

/**
 * The statement that stores a key's answer in an operation's own batch, failing the whole batch if
 * another request holds or answered the key. With `recordedIn`, the answer's body is the `after` of that
 * audit row of the same batch (the resource as the change left it, a number the batch assigned
 * included), so it is not stored a second time.
 */
export function answerKey(db: Database, key: KeyTerms, response: StoredResponse, recordedIn?: string) {
	const terms = { ...key, status: response.status, headers: JSON.stringify(response.headers) };
	return recordedIn === undefined
		? asSent(db, { ...terms, body: response.body })
		: asRecorded(db, { ...terms, auditId: recordedIn });
}

/** The batch failed because another request took the key between the operation's reads and its commit. */
export const isKeyTaken = (error: unknown) => refusalOf(error) === "key_taken";

/**
 * What an operation throws when its first reads find the request's key held or answered by another
 * request: the same refusal a commit that stores the answer meets (`isKeyTaken`).
 */
export const keyTaken = () => new Refusal("key_taken", new Error("another request holds or answered this key"));

/** Keys are kept for 24 hours; after that a key may be reused and its row goes. */
export async function purgeExpiredKeys(db: Database, now: Date): Promise<number> {
	const result = await db.delete(idempotencyKeys).where(lte(idempotencyKeys.expiresAt, now.toISOString()));
	return result.meta.changes;
}
