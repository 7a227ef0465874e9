import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { usageMessages } from "../../examples/usage-producer/src/index";
import { consumeUsage, consumeUsageDeadLetters } from "../../queues/usage";
import { MAINTENANCE_CRON, runScheduled } from "../../src/cron/scheduled";
import { database } from "../../src/db/client";
import { enqueueUsage } from "../../src/services/usage/ingestUsage";
import { activatePendingUsage } from "../../src/services/usage/usageJobs";
import { api, newCustomer, newTenant } from "../helpers/api";
import { newMetric, quantityOf } from "../helpers/usage";

type WireEvent = Record<string, unknown>;
let messageCounter = 0;

/** Runs the usage consumer over one batch of messages, as the queue would deliver it. */
async function consume(messages: { tenant_id: string; events: WireEvent[] }[], targetEnv = env, attempts = 1) {
	const batch = createMessageBatch(
		"usage-events",
		messages.map((m) => ({
			id: `u${++messageCounter}`,
			timestamp: new Date(),
			attempts,
			body: { v: 1, ...m },
		})),
	);
	const ctx = createExecutionContext();
	await consumeUsage(batch, targetEnv);
	return getQueueResult(batch, ctx);
}

const at = (day: number) => `2026-03-${String(day).padStart(2, "0")}T12:00:00Z`;

const event = (customerId: string, id: string, overrides: WireEvent = {}): WireEvent => ({
	event_id: id,
	customer_id: customerId,
	metric: "api_calls",
	quantity: 1,
	timestamp: "2026-03-10T12:00:00Z",
	...overrides,
});

const usageIn = async (key: string, query = "from=2026-03-01&to=2026-03-31") =>
	(await api(`/v1/billing/usage?${query}`, { key })).body.data;

async function setup() {
	const { key, tenantId } = await newTenant();
	const customer = await newCustomer(key);
	await newMetric(key, { code: "api_calls", aggregation: "sum" });
	return { key, tenantId, customerId: customer.id as string };
}

describe("usage-events consumer", () => {
	it("counts the same events delivered twice, out of order and across two batches once", async () => {
		const { key, tenantId, customerId } = await setup();
		const events = Array.from({ length: 10 }, (_, i) => event(customerId, `e${i}`, { quantity: i + 1 }));
		const first = await consume([{ tenant_id: tenantId, events: events.slice(0, 6) }]);
		expect(first.explicitAcks).toHaveLength(1);
		// The second batch repeats four events, in reverse order, alongside the four new ones.
		await consume([
			{ tenant_id: tenantId, events: [...events.slice(2, 10)].reverse() },
			{ tenant_id: tenantId, events: events.slice(0, 3) },
		]);
		await consume([{ tenant_id: tenantId, events }]);
		const rows = await usageIn(key);
		expect(quantityOf(rows, "api_calls")).toBe("55");
		expect(rows[0].events).toBe(10);
	});

	it("loses and duplicates nothing when the consumer crashes before or after its batch commits", async () => {
		const { key, tenantId, customerId } = await setup();
		const events = Array.from({ length: 5 }, (_, i) => event(customerId, `c${i}`, { quantity: 2 }));
		const message = [{ tenant_id: tenantId, events }];
		// The consumer reads (one batch), then writes (one batch): `failWrite` breaks only the write.
		const failWrite = (fail: (statements: D1PreparedStatement[]) => Promise<unknown>) => {
			let calls = 0;
			const DB = {
				prepare: env.DB.prepare.bind(env.DB),
				batch: (statements: D1PreparedStatement[]) => (++calls === 2 ? fail(statements) : env.DB.batch(statements)),
			};
			return { ...env, DB } as unknown as typeof env;
		};
		// Crash before the commit: the batch fails whole and every message is retried.
		const crashed = await consume(
			message,
			failWrite(() => Promise.reject(new Error("connection lost"))),
		);
		expect(crashed.retryMessages).toHaveLength(1);
		expect(quantityOf(await usageIn(key), "api_calls")).toBe("0");
		// Crash after the commit, before the acknowledgement: the message comes back.
		const afterCommit = failWrite(async (statements) => {
			await env.DB.batch(statements);
			throw new Error("worker evicted before ack");
		});
		const lostAck = await consume(message, afterCommit, 2);
		expect(lostAck.retryMessages).toHaveLength(1);
		expect(quantityOf(await usageIn(key), "api_calls")).toBe("10");
		// The redelivery counts nothing twice.
		await consume(message, env, 3);
		expect(quantityOf(await usageIn(key), "api_calls")).toBe("10");
	});

	it("rolls back a batch that fails part-way: nothing of it is stored", async () => {
		const { key, tenantId, customerId } = await setup();
		let calls = 0;
		const failing = env.DB.prepare("insert into usage_ingest_marks (id, after_rowid) values (null, null)");
		const partial = {
			...env,
			DB: {
				prepare: env.DB.prepare.bind(env.DB),
				// The write's last statement fails after its events and aggregates were written in the same batch.
				batch: (statements: D1PreparedStatement[]) =>
					env.DB.batch(++calls === 2 ? [...statements, failing] : statements),
			},
		};
		const result = await consume(
			[{ tenant_id: tenantId, events: [event(customerId, "p1", { quantity: 7 })] }],
			partial as unknown as typeof env,
		);
		expect(result.retryMessages).toHaveLength(1);
		const stored = await env.DB.prepare("select count(*) as n from usage_events where tenant_id = ?")
			.bind(tenantId)
			.first<{ n: number }>();
		expect(stored?.n).toBe(0);
		await consume([{ tenant_id: tenantId, events: [event(customerId, "p1", { quantity: 7 })] }], env, 2);
		expect(quantityOf(await usageIn(key), "api_calls")).toBe("7");
	});

	it("counts overlapping batches consumed concurrently once", async () => {
		const { key, tenantId, customerId } = await setup();
		const events = Array.from({ length: 200 }, (_, i) => event(customerId, `k${i}`));
		await Promise.all(
			Array.from({ length: 6 }, (_, n) =>
				consume([{ tenant_id: tenantId, events: events.slice(n * 20, n * 20 + 100) }]),
			),
		);
		expect(quantityOf(await usageIn(key), "api_calls")).toBe("200");
	});

	it("keeps events a producer sent badly, and sends a malformed message toward the dead-letter queue", async () => {
		const { key, tenantId, customerId } = await setup();
		const result = await consume([
			{
				tenant_id: tenantId,
				events: [
					event(customerId, "ok1"),
					event(customerId, "bad1", { quantity: -3 }),
					event("cus_01JD3Q8W5Z9K2M4N6P8R0T2V4X", "bad2"),
				],
			},
		]);
		expect(result.explicitAcks).toHaveLength(1);
		const rejections = await env.DB.prepare("select event, errors from usage_rejections where tenant_id = ?")
			.bind(tenantId)
			.all<{ event: string; errors: string }>();
		expect(rejections.results).toHaveLength(2);
		expect(rejections.results.map((r) => JSON.parse(r.errors)[0].field).sort()).toEqual(["customer_id", "quantity"]);
		const listed = await api("/v1/billing/usage/rejections", { key });
		expect(listed.body.data.map((r: { event: { event_id: string } }) => r.event.event_id).sort()).toEqual([
			"bad1",
			"bad2",
		]);
		const other = await newTenant();
		expect((await api("/v1/billing/usage/rejections", { key: other.key })).body.data).toEqual([]);
		expect(quantityOf(await usageIn(key), "api_calls")).toBe("1");
		const malformed = createMessageBatch("usage-events", [
			{ id: "bad-envelope", timestamp: new Date(), attempts: 1, body: { v: 2, events: "nope" } },
		]);
		const ctx = createExecutionContext();
		await consumeUsage(malformed, env);
		expect((await getQueueResult(malformed, ctx)).retryMessages).toHaveLength(1);
	});

	it("aggregates max, last and unique counts across batches and days", async () => {
		const { key, tenantId, customerId } = await setup();
		await newMetric(key, { code: "peak_seats", aggregation: "max" });
		await newMetric(key, { code: "storage_gb", aggregation: "last" });
		await newMetric(key, { code: "active_users", aggregation: "unique_count", field: "user_id" });
		const e = (id: string, metric: string, timestamp: string, extra: WireEvent = {}) =>
			event(customerId, id, { metric, timestamp, ...extra });
		await consume([
			{
				tenant_id: tenantId,
				events: [
					e("m1", "peak_seats", "2026-03-02T10:00:00Z", { quantity: 4 }),
					e("l1", "storage_gb", "2026-03-20T10:00:00Z", { quantity: "12.5" }),
					e("u1", "active_users", "2026-03-02T10:00:00Z", { properties: { user_id: "ann" } }),
					e("u2", "active_users", "2026-03-03T10:00:00Z", { properties: { user_id: "bob" } }),
				],
			},
		]);
		await consume([
			{
				tenant_id: tenantId,
				events: [
					e("m2", "peak_seats", "2026-03-05T10:00:00Z", { quantity: 9 }),
					e("m3", "peak_seats", "2026-03-06T10:00:00Z", { quantity: 2 }),
					// Arrives later but happened earlier: the latest value stays.
					e("l2", "storage_gb", "2026-03-10T10:00:00Z", { quantity: 40 }),
					e("u3", "active_users", "2026-03-09T10:00:00Z", { properties: { user_id: "ann" } }),
				],
			},
		]);
		const rows = await usageIn(key);
		expect(quantityOf(rows, "peak_seats")).toBe("9");
		expect(quantityOf(rows, "storage_gb")).toBe("12.5");
		expect(quantityOf(rows, "active_users")).toBe("2");
	});

	it("counts events stored before their metric existed once, however many sweeps race over them", async () => {
		const { key, tenantId, customerId } = await setup();
		const events = Array.from({ length: 30 }, (_, i) =>
			event(customerId, `late-metric-${i}`, { metric: "gb", quantity: 2 }),
		);
		await consume([{ tenant_id: tenantId, events }]);
		// The metric appears the way a consumer racing its creation would leave things: events still pending.
		await env.DB.prepare(
			"insert into billable_metrics (id, tenant_id, code, name, aggregation, field, filters, version, created_at, updated_at) values (?, ?, 'gb', 'GB', 'sum', null, '{}', 1, ?, ?)",
		)
			.bind(`bm_01TEST${tenantId.slice(-20)}`, tenantId, new Date().toISOString(), new Date().toISOString())
			.run();
		const db = database(env.DB);
		await Promise.all([activatePendingUsage(db, tenantId, "gb"), activatePendingUsage(db, tenantId, "gb")]);
		await runScheduled(MAINTENANCE_CRON, env, new Date());
		expect(quantityOf(await usageIn(key), "gb")).toBe("60");
	});

	it("consumes what the example producer Worker sends: many events per message, each under 128 KB", async () => {
		const { key, tenantId, customerId } = await setup();
		const events = Array.from({ length: 2000 }, (_, i) => ({
			event_id: `edge-${i}`,
			customer_id: customerId,
			metric: "api_calls",
			timestamp: at(1 + (i % 28)),
			dimensions: { path: `/v1/items/${i % 7}`, colo: "FRA" },
		}));
		const messages = usageMessages(tenantId, events);
		expect(messages.length).toBeGreaterThan(1);
		for (const m of messages) expect(new TextEncoder().encode(JSON.stringify(m)).byteLength).toBeLessThan(128 * 1024);
		const result = await consume(messages);
		expect(result.explicitAcks).toHaveLength(messages.length);
		expect(quantityOf(await usageIn(key), "api_calls")).toBe("2000");
	});

	it("sizes queue messages in bytes, so text outside ASCII never pushes one over 128 KB", async () => {
		const sent: { body: unknown }[][] = [];
		const queue = { sendBatch: async (messages: { body: unknown }[]) => void sent.push(messages) };
		// 40 events of 2,000 three-byte characters: about 80,000 characters but 240,000 bytes.
		const events = Array.from({ length: 40 }, (_, i) => ({
			event_id: `utf8-${i}`,
			customer_id: "cus_01JD3Q8W5Z9K2M4N6P8R0T2V4X",
			metric: "api_calls",
			timestamp: at(1),
			dimensions: { note: "€".repeat(2000) },
		}));
		await enqueueUsage({ ...env, USAGE_EVENTS: queue as unknown as Queue }, "ten_x", events);
		const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).byteLength;
		for (const call of sent) {
			expect(bytes(call.map((m) => m.body))).toBeLessThan(256 * 1024);
			for (const message of call) expect(bytes(message.body)).toBeLessThan(128 * 1024);
		}
		expect(sent.flat().flatMap((m) => (m.body as { events: unknown[] }).events)).toHaveLength(40);
	});

	it("stores a large batch in bounded writes; a crash between them loses and doubles nothing", async () => {
		const { key, tenantId, customerId } = await setup();
		const events = Array.from({ length: 12_000 }, (_, i) =>
			event(customerId, `big-${i}`, { timestamp: at(1 + (i % 28)) }),
		);
		const messages = [0, 1, 2].map((n) => ({ tenant_id: tenantId, events: events.slice(n * 4_000, (n + 1) * 4_000) }));
		let calls = 0;
		const DB = {
			prepare: env.DB.prepare.bind(env.DB),
			// Read, first write of 5,000 events, then the crash before the second write.
			batch: (statements: D1PreparedStatement[]) =>
				++calls === 3 ? Promise.reject(new Error("evicted")) : env.DB.batch(statements),
		};
		const crashed = await consume(messages, { ...env, DB } as unknown as typeof env);
		expect(crashed.retryMessages).toHaveLength(3);
		expect(quantityOf(await usageIn(key), "api_calls")).toBe("5000");
		await consume(messages, env, 2);
		expect(quantityOf(await usageIn(key), "api_calls")).toBe("12000");
	});

	it("keeps every dead letter: recorded when it can be now, stored as it came otherwise", async () => {
		const { key, tenantId, customerId } = await setup();
		const batch = createMessageBatch("usage-events-dlq", [
			{
				id: "dl1",
				timestamp: new Date(),
				attempts: 6,
				body: { v: 1, tenant_id: tenantId, events: [event(customerId, "dl-1")] },
			},
			{ id: "dl2", timestamp: new Date(), attempts: 6, body: { v: 9, tenant_id: tenantId, events: "?" } },
		]);
		const ctx = createExecutionContext();
		await consumeUsageDeadLetters(batch, env);
		expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(2);
		expect(quantityOf(await usageIn(key), "api_calls")).toBe("1");
		const kept = await env.DB.prepare("select event from usage_rejections where tenant_id = ?")
			.bind(tenantId)
			.all<{ event: string }>();
		expect(kept.results.map((r) => JSON.parse(r.event).v)).toEqual([9]);
	});
});
