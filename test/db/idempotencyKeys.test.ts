import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { database, insertRows, runBatch } from "../../src/db/client";
import { auditLog } from "../../src/db/schema";
import { answerKey, isKeyTaken, type KeyTerms } from "../../src/lib/idempotency";

const db = database(env.DB);
const NOW = "2027-03-04T05:06:07.000Z";
const LATER = "2027-03-05T05:06:07.000Z";
const EARLIER = "2027-03-03T05:06:07.000Z";

/** The terms of a request whose body hashes to "hash-a". */
const terms = (scope: string): KeyTerms => ({
	scope,
	key: "the-key",
	requestHash: "hash-a",
	now: NOW,
	lockedUntil: NOW,
	expiresAt: LATER,
});

/** A stored key as another request left it. */
async function storeKey(
	scope: string,
	row: { state: string; requestHash: string; lockedUntil: string; expiresAt: string },
) {
	await env.DB.prepare(
		`insert into idempotency_keys (tenant_id, key, request_hash, state, response_status, response_body,
			response_headers, created_at, locked_until, expires_at) values (?, 'the-key', ?, ?, 200, 'first', '{}', ?, ?, ?)`,
	)
		.bind(scope, row.requestHash, row.state, EARLIER, row.lockedUntil, row.expiresAt)
		.run();
}

/** An operation's batch: its change (an audit row here), then the answer to its key. */
const commit = (scope: string, key: KeyTerms) =>
	runBatch(db, [
		...insertRows(db, auditLog, [
			{
				id: `aud_${scope}`,
				tenantId: scope,
				actorType: "api_key",
				actorId: "key_idem",
				action: "row.written",
				targetType: "row",
				targetId: "row_1",
				before: null,
				after: null,
				requestId: null,
				createdAt: NOW,
			},
		]),
		answerKey(db, key, { status: 201, headers: {}, body: "second" }),
	]);

async function storedKey(scope: string) {
	return env.DB.prepare("select state, response_body as body, created_at from idempotency_keys where tenant_id = ?")
		.bind(scope)
		.first<{ state: string; body: string; created_at: string }>();
}

async function changeWritten(scope: string) {
	const row = await env.DB.prepare("select count(*) as n from audit_log where tenant_id = ?")
		.bind(scope)
		.first<{ n: number }>();
	return row?.n ?? 0;
}

describe("an answer stored in an operation's own batch", () => {
	it("inserts the key in one statement when none is stored", async () => {
		const scope = `tn_${crypto.randomUUID()}`;
		await commit(scope, terms(scope));
		expect(await storedKey(scope)).toEqual({ state: "completed", body: "second", created_at: NOW });
		expect(await changeWritten(scope)).toBe(1);
	});

	it.each([
		["answered and unexpired", { state: "completed", requestHash: "hash-a", lockedUntil: EARLIER, expiresAt: LATER }],
		["held by a live request", { state: "in_progress", requestHash: "hash-a", lockedUntil: LATER, expiresAt: LATER }],
		[
			"left in progress by a dead holder of another request",
			{ state: "in_progress", requestHash: "hash-b", lockedUntil: EARLIER, expiresAt: LATER },
		],
	])("fails the whole batch when the stored key is %s", async (_, row) => {
		const scope = `tn_${crypto.randomUUID()}`;
		await storeKey(scope, row);
		const failure = await commit(scope, terms(scope)).then(
			() => null,
			(error: unknown) => error,
		);
		expect(isKeyTaken(failure)).toBe(true);
		expect(await storedKey(scope)).toMatchObject({ body: "first", created_at: EARLIER });
		expect(await changeWritten(scope)).toBe(0);
	});

	it.each([
		["expired", { state: "completed", requestHash: "hash-b", lockedUntil: EARLIER, expiresAt: EARLIER }],
		[
			"left in progress by a dead holder of the same request",
			{ state: "in_progress", requestHash: "hash-a", lockedUntil: EARLIER, expiresAt: LATER },
		],
	])("takes over a stored key that is %s", async (_, row) => {
		const scope = `tn_${crypto.randomUUID()}`;
		await storeKey(scope, row);
		await commit(scope, terms(scope));
		expect(await storedKey(scope)).toEqual({ state: "completed", body: "second", created_at: NOW });
		expect(await changeWritten(scope)).toBe(1);
	});
});
