// The statements behind `Idempotency-Key` (middleware/idempotency.ts), shared with the account object,
// which completes a key in the same batch as the operation it answers for.
import { and, eq, type SQL, sql } from "drizzle-orm";
import { type Database, preparedQuery } from "../db/client";
import { idempotencyKeys } from "../db/schema";

/** A key the request holds (claimed, not yet completed), in its scope: the tenant, or "operator". */
export type HeldKey = { scope: string; key: string };

/** The key an HTTP request holds; `completedInBatch` once an operation stored the response with its own commit. */
export type RequestKey = HeldKey & { completedInBatch: boolean };

/** What a replay of the key answers: the first response's status, replayed headers and body. */
export type StoredResponse = { status: number; headers: Record<string, string>; body: string };

/** The stored answer as an HTTP response: what a handler sends when it stored the answer itself. */
export const responseOf = (stored: StoredResponse) =>
	new Response(stored.body, { status: stored.status, headers: stored.headers });

/** A value bound per use, where drizzle's types take SQL but not a bare placeholder. */
const bound = (name: string) => sql`${sql.placeholder(name)}`;

/** Claims a key: inserts it, or takes over one that expired or whose holder died. Built once. */
export const claimKey = preparedQuery((db) => {
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
				responseHeaders: null,
				createdAt: now,
				lockedUntil,
				expiresAt,
			},
			setWhere: sql`${idempotencyKeys.expiresAt} <= ${now} or (${idempotencyKeys.state} = 'in_progress' and ${idempotencyKeys.lockedUntil} <= ${now} and ${idempotencyKeys.requestHash} = ${requestHash})`,
		})
		.returning({ key: idempotencyKeys.key });
});

/** A key's completion, prepared once for the way its stored body is written. */
const completion = (body: SQL) =>
	preparedQuery((db) =>
		db
			.update(idempotencyKeys)
			.set({
				state: "completed",
				responseStatus: bound("status"),
				responseBody: body,
				responseHeaders: bound("headers"),
			})
			.where(
				and(eq(idempotencyKeys.tenantId, sql.placeholder("scope")), eq(idempotencyKeys.key, sql.placeholder("key"))),
			),
	);

export type Completion = ReturnType<typeof completion>;

const asSent = completion(bound("body"));

/**
 * A completion that sets one field of the stored body from SQL, for a value the same batch assigns (an
 * invoice's number): `value` reads its own placeholders, filled from `completeKey`'s `values`.
 */
export const completionFilling = (path: string, value: SQL) =>
	completion(sql`json_set(${sql.placeholder("body")}, ${path}, ${value})`);

/** Stores the response a held key replays from now on, as sent or as `how` fills it in. */
export function completeKey(
	db: Database,
	held: HeldKey,
	response: StoredResponse,
	how: { completion: Completion; values?: Record<string, unknown> } = { completion: asSent },
) {
	return how.completion(db, {
		...how.values,
		scope: held.scope,
		key: held.key,
		status: response.status,
		body: response.body,
		headers: JSON.stringify(response.headers),
	});
}
