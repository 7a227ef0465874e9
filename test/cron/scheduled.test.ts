import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAINTENANCE_CRON, runScheduled } from "../../src/cron/scheduled";
import { database } from "../../src/db/client";
import worker from "../../src/index";
import { purgeExpiredKeys } from "../../src/lib/idempotency";
import { api, newTenant } from "../helpers/api";

let rowCounter = 0;

/** Writes an idempotency row directly, as the middleware would have, expiring at `expiresAt`. */
async function insertKey(expiresAt: string, state: "completed" | "in_progress" = "completed") {
	rowCounter += 1;
	const tenantId = `ten_cron_${rowCounter}`;
	const key = `cron-key-${rowCounter}`;
	const createdAt = new Date(Date.parse(expiresAt) - 24 * 3600_000).toISOString();
	await env.DB.prepare(
		`insert into idempotency_keys
			(tenant_id, key, request_hash, state, response_status, response_body, response_headers, created_at, locked_until, expires_at)
		 values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	)
		.bind(
			tenantId,
			key,
			"0".repeat(64),
			state,
			state === "completed" ? 201 : null,
			state === "completed" ? "{}" : null,
			state === "completed" ? "{}" : null,
			createdAt,
			createdAt,
			expiresAt,
		)
		.run();
	return { tenantId, key };
}

async function exists(row: { tenantId: string; key: string }) {
	const found = await env.DB.prepare("select 1 as present from idempotency_keys where tenant_id = ? and key = ?")
		.bind(row.tenantId, row.key)
		.first();
	return found !== null;
}

const countExpiredBy = async (now: Date) =>
	(
		await env.DB.prepare("select count(*) as n from idempotency_keys where expires_at <= ?")
			.bind(now.toISOString())
			.first<{ n: number }>()
	)?.n ?? 0;

describe("purgeExpiredKeys", () => {
	it("removes expired keys (including one expiring exactly now) and keeps live ones", async () => {
		const now = new Date("2030-06-01T12:00:00.000Z");
		const expired = await insertKey("2030-06-01T11:59:59.999Z");
		const expiredInProgress = await insertKey("2030-05-01T00:00:00.000Z", "in_progress");
		const boundary = await insertKey(now.toISOString());
		const live = await insertKey("2030-06-01T12:00:00.001Z");
		const liveLater = await insertKey("2030-06-02T12:00:00.000Z");

		const due = await countExpiredBy(now);
		expect(due).toBeGreaterThanOrEqual(3);
		const purged = await purgeExpiredKeys(database(env.DB), now);
		expect(purged).toBe(due);
		expect(await countExpiredBy(now)).toBe(0);

		expect(await exists(expired)).toBe(false);
		expect(await exists(expiredInProgress)).toBe(false);
		expect(await exists(boundary)).toBe(false);
		expect(await exists(live)).toBe(true);
		expect(await exists(liveLater)).toBe(true);

		expect(await purgeExpiredKeys(database(env.DB), now)).toBe(0);
	});
});

describe("runScheduled", () => {
	it("purges expired keys on the maintenance schedule", async () => {
		const now = new Date("2031-01-01T00:00:00.000Z");
		const expired = await insertKey("2030-12-31T23:00:00.000Z");
		const live = await insertKey("2031-01-01T01:00:00.000Z");
		await runScheduled(MAINTENANCE_CRON, env, now);
		expect(await exists(expired)).toBe(false);
		expect(await exists(live)).toBe(true);
	});

	it("does nothing for a cron expression it has no job for", async () => {
		const now = new Date("2032-01-01T00:00:00.000Z");
		const expired = await insertKey("2031-12-31T00:00:00.000Z");
		await runScheduled("0 3 * * *", env, now);
		expect(await exists(expired)).toBe(true);
	});

	it("is what the Worker's scheduled handler runs", async () => {
		const now = new Date("2033-01-01T00:00:00.000Z");
		const expired = await insertKey("2032-12-31T00:00:00.000Z");
		const live = await insertKey("2033-01-02T00:00:00.000Z");
		const controller = createScheduledController({ scheduledTime: now, cron: MAINTENANCE_CRON });
		const ctx = createExecutionContext();
		await worker.scheduled(controller, env, ctx);
		await waitOnExecutionContext(ctx);
		expect(await exists(expired)).toBe(false);
		expect(await exists(live)).toBe(true);
	});

	it("frees a real request's key for reuse once purged", async () => {
		const { key, tenantId } = await newTenant();
		const headers = { "Idempotency-Key": "purged-then-reused" };
		const first = await api("/v1/billing/customers", { key, body: { name: "Before purge" }, headers });
		expect(first.status).toBe(201);
		expect(await exists({ tenantId, key: "purged-then-reused" })).toBe(true);

		// A day and an hour after the request, the key has expired and the sweep removes it.
		await purgeExpiredKeys(database(env.DB), new Date(Date.parse(first.body.created_at) + 25 * 3600_000));
		expect(await exists({ tenantId, key: "purged-then-reused" })).toBe(false);

		const reused = await api("/v1/billing/customers", { key, body: { name: "After purge" }, headers });
		expect(reused.status).toBe(201);
		expect(reused.headers.get("idempotent-replayed")).toBe(null);
		expect(reused.body.id).not.toBe(first.body.id);
	});
});
