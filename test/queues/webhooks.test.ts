import {
	createExecutionContext,
	createMessageBatch,
	env,
	getQueueResult,
	waitOnExecutionContext,
} from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import { consumeWebhooks, consumeWebhooksDeadLetters } from "../../queues/webhooks";
import app from "../../src/app";
import { database } from "../../src/db/client";
import { dispatchEvents } from "../../src/services/events/events";
import { api, expectProblem, newCustomer, newTenant } from "../helpers/api";
import { webhookReceiverUrl } from "../helpers/objectFactories";

type Sent = { body: unknown };

/** A stand-in for the webhooks queue producer that records what is sent. */
function recordingQueue() {
	const sent: Sent[] = [];
	const queue = {
		send: async (body: unknown) => void sent.push({ body }),
		sendBatch: async (messages: Sent[]) => void sent.push(...messages),
	};
	return { sent, env: { ...env, WEBHOOKS: queue as unknown as Queue } };
}

/** Runs the consumer on `bodies` as one batch and returns what it acked or retried. */
async function consume(bodies: unknown[], attempts = 1, targetEnv = env) {
	const batch = createMessageBatch(
		"webhooks",
		bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts, body })),
	);
	const ctx = createExecutionContext();
	await consumeWebhooks(batch, targetEnv);
	return getQueueResult(batch, ctx);
}

/**
 * A synthetic event in the tenant's outbox, marked dispatched (unless told otherwise) so the automatic
 * pipeline leaves it alone; no queue message announces it.
 */
async function insertEvent(tenantId: string, type = "usage.adjusted", { requestId = "req_x", dispatched = true } = {}) {
	const id = `evt_01TEST${Math.random().toString(36).slice(2, 12).toUpperCase().padEnd(20, "0")}`.slice(0, 30);
	const now = new Date().toISOString();
	await env.DB.prepare(
		"insert into outbox_events (id, tenant_id, type, resource_type, resource_id, data, request_id, created_at, dispatched_at) values (?, ?, ?, 'customer', 'cus_x', ?, ?, ?, ?)",
	)
		.bind(
			id,
			tenantId,
			type,
			JSON.stringify({ object: { id: "cus_x" }, previous: null }),
			requestId,
			now,
			dispatched ? now : null,
		)
		.run();
	return id;
}

/** Deliveries no test intercepts reach the loopback receiver, never an outside host. */
async function newEndpoint(key: string, events = ["usage.adjusted"], url = webhookReceiverUrl()) {
	const res = await api("/v1/billing/webhooks", { key, body: { url, events } });
	if (res.status !== 201) throw new Error(`endpoint creation failed: ${res.status} ${res.text}`);
	return res.body;
}

const UNDISPATCHED = "select count(*) as n from outbox_events where tenant_id = ? and dispatched_at is null";

/** Creates a customer through the app with `targetEnv`, waiting for what it does after responding. */
async function createCustomerWith(key: string, targetEnv: typeof env, name = "Listener Ltd") {
	const ctx = createExecutionContext();
	const res = await app.request(
		"/v1/billing/customers",
		{
			method: "POST",
			headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
			body: JSON.stringify({ name }),
		},
		targetEnv,
		ctx,
	);
	await waitOnExecutionContext(ctx);
	return res;
}

afterEach(() => {
	vi.restoreAllMocks();
});

describe("webhook endpoints", () => {
	it("registers endpoints with a secret shown once, and refuses unsafe targets", async () => {
		const { key } = await newTenant();
		const endpoint = await newEndpoint(key, ["invoice.paid", "*"]);
		expect(endpoint.secret).toMatch(/^whsec_/);
		const listed = await api("/v1/billing/webhooks", { key });
		expect(listed.body.data[0].secret).toBeUndefined();
		for (const url of [
			"http://hooks.example.com/x",
			"https://10.0.0.1/x",
			"https://169.254.169.254/x",
			"https://metadata.internal/x",
		]) {
			const res = await api("/v1/billing/webhooks", { key, body: { url, events: ["*"] } });
			expect(expectProblem(res, 422, "validation_failed").errors[0].field).toBe("url");
		}
		expectProblem(
			await api("/v1/billing/webhooks", { key, body: { url: "https://a.example.com", events: ["Bad Type"] } }),
			422,
			"validation_failed",
		);
		const rotated = await api(`/v1/billing/webhooks/${endpoint.id}/rotate-secret`, { key, method: "POST" });
		expect(rotated.body.secret).not.toBe(endpoint.secret);
		expect((await api(`/v1/billing/webhooks/${endpoint.id}/disable`, { key, method: "POST" })).body.status).toBe(
			"disabled",
		);
		expect((await api(`/v1/billing/webhooks/${endpoint.id}/enable`, { key, method: "POST" })).body.status).toBe(
			"enabled",
		);
		expect((await api(`/v1/billing/webhooks/${endpoint.id}`, { key, method: "DELETE" })).status).toBe(204);
		const other = await newTenant();
		expectProblem(
			await api(`/v1/billing/webhooks/${endpoint.id}/disable`, { key: other.key, method: "POST" }),
			404,
			"not_found",
		);
	});

	it("sends a signed test event and reports the answer", async () => {
		const { key } = await newTenant();
		const endpoint = await newEndpoint(key);
		const received: { body: string; headers: Record<string, string> }[] = [];
		vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
			// Read inside the handler's own context: request bodies cannot cross contexts.
			const request = new Request(input as RequestInfo, init);
			received.push({ body: await request.text(), headers: Object.fromEntries(request.headers) });
			return new Response(null, { status: 204 });
		});
		const res = await api("/v1/billing/webhooks/test", { key, body: { endpoint_id: endpoint.id } });
		expect(res.body).toMatchObject({ delivered: true, status_code: 204 });
		const { body, headers } = received[0] as { body: string; headers: Record<string, string> };
		expect(new Webhook(endpoint.secret).verify(body, headers)).toMatchObject({ type: "webhook.test" });
	});
});

describe("delivery over the queue", () => {
	it("a receiver that fails three times then succeeds: one success, growing delays, every attempt logged", async () => {
		const { key, tenantId } = await newTenant();
		const endpoint = await newEndpoint(key);
		const eventId = await insertEvent(tenantId);
		const { sent, env: recording } = recordingQueue();
		expect(
			(await consume([{ v: 1, kind: "event", tenant_id: tenantId, event_id: eventId }], 1, recording)).explicitAcks,
		).toHaveLength(1);
		expect(sent).toHaveLength(1);
		// Fanning the same event out again creates no second delivery.
		await consume([{ v: 1, kind: "event", tenant_id: tenantId, event_id: eventId }], 1, recording);
		expect(sent).toHaveLength(1);
		const deliveryMessage = sent[0]?.body as { delivery_id: string };

		const answers = [500, 502, 503, 200];
		const signatures: boolean[] = [];
		vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
			const request = new Request(input as RequestInfo, init);
			const body = await request.text();
			signatures.push(Boolean(new Webhook(endpoint.secret).verify(body, Object.fromEntries(request.headers))));
			return new Response(null, { status: answers.shift() ?? 200 });
		});
		const delays: number[] = [];
		for (let attempt = 1; attempt <= 4; attempt++) {
			const result = await consume([deliveryMessage], attempt);
			if (attempt < 4) {
				expect(result.retryMessages).toHaveLength(1);
				// The delivery log says when the queue will try next.
				const log = await api(`/v1/billing/webhooks/${endpoint.id}/deliveries/${deliveryMessage.delivery_id}`, { key });
				const last = log.body.attempt_log.at(-1);
				delays.push((Date.parse(log.body.next_retry_at) - Date.parse(last.at)) / 1000);
			} else {
				expect(result.explicitAcks).toHaveLength(1);
			}
		}
		expect(delays).toEqual([30, 60, 120]);
		expect(signatures).toEqual([true, true, true, true]);
		// A redelivered message for a delivery that already succeeded sends nothing.
		await consume([deliveryMessage], 5);
		expect(signatures).toHaveLength(4);

		const log = await api(`/v1/billing/webhooks/${endpoint.id}/deliveries/${deliveryMessage.delivery_id}`, { key });
		expect(log.body).toMatchObject({ status: "succeeded", attempts: 4, last_status_code: 200 });
		expect(log.body.attempt_log.map((a: { status_code: number }) => a.status_code)).toEqual([500, 502, 503, 200]);
		const list = await api(`/v1/billing/webhooks/${endpoint.id}/deliveries?status=succeeded`, { key });
		expect(list.body.data).toHaveLength(1);
	});

	it("a receiver that always fails ends in the dead-letter queue and the log; it can be redelivered", async () => {
		const { key, tenantId } = await newTenant();
		const endpoint = await newEndpoint(key);
		const eventId = await insertEvent(tenantId);
		const { sent, env: recording } = recordingQueue();
		await consume([{ v: 1, kind: "event", tenant_id: tenantId, event_id: eventId }], 1, recording);
		const deliveryMessage = sent[0]?.body as { delivery_id: string };
		vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response(null, { status: 500 }));
		for (let attempt = 1; attempt <= 3; attempt++)
			expect((await consume([deliveryMessage], attempt)).retryMessages).toHaveLength(1);
		// The queue gives up after its last retry and hands the message to webhooks-dlq.
		await consumeWebhooksDeadLetters(
			createMessageBatch("webhooks-dlq", [{ id: "d1", timestamp: new Date(), attempts: 9, body: deliveryMessage }]),
			env,
		);
		const log = await api(`/v1/billing/webhooks/${endpoint.id}/deliveries/${deliveryMessage.delivery_id}`, { key });
		expect(log.body).toMatchObject({ status: "dead_lettered", attempts: 3, last_status_code: 500 });
		const again = await api(`/v1/billing/webhooks/${endpoint.id}/deliveries/${deliveryMessage.delivery_id}/redeliver`, {
			key,
			method: "POST",
		});
		expect(again.status).toBe(202);
		expect(again.body.status).toBe("pending");
	});

	it("an endpoint failing for days is disabled, with an event saying so", async () => {
		const { key, tenantId } = await newTenant();
		const endpoint = await newEndpoint(key);
		const eventId = await insertEvent(tenantId);
		const { sent, env: recording } = recordingQueue();
		await consume([{ v: 1, kind: "event", tenant_id: tenantId, event_id: eventId }], 1, recording);
		await env.DB.prepare("update webhook_endpoints set consecutive_failures = 19, failing_since = ? where id = ?")
			.bind(new Date(Date.now() - 4 * 86_400_000).toISOString(), endpoint.id)
			.run();
		vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response(null, { status: 410 }));
		await consume([sent[0]?.body], 1);
		const listed = await api("/v1/billing/webhooks", { key });
		expect(listed.body.data[0]).toMatchObject({ status: "disabled", consecutive_failures: 20 });
		const events = await api("/v1/billing/events?type=webhook_endpoint.disabled", { key });
		expect(events.body.data[0].resource.id).toBe(endpoint.id);
	});

	it("events of another tenant never reach this tenant's endpoints", async () => {
		const a = await newTenant();
		const b = await newTenant();
		await newEndpoint(a.key, ["*"]);
		const eventOfB = await insertEvent(b.tenantId);
		const { sent, env: recording } = recordingQueue();
		await consume([{ v: 1, kind: "event", tenant_id: b.tenantId, event_id: eventOfB }], 1, recording);
		// Even a message naming the wrong tenant finds nothing.
		await consume([{ v: 1, kind: "event", tenant_id: a.tenantId, event_id: eventOfB }], 1, recording);
		expect(sent).toHaveLength(0);
	});
});

describe("the transactional outbox", () => {
	it("every change writes its event; a lost queue send is recovered by the sweep", async () => {
		const { key, tenantId } = await newTenant();
		await newEndpoint(key, ["customer.created"]);
		const failing = {
			...env,
			WEBHOOKS: {
				send: () => Promise.reject(new Error("queue down")),
				sendBatch: () => Promise.reject(new Error("queue down")),
			},
		};
		const created = await createCustomerWith(key, failing as unknown as typeof env, "Lost Send Ltd");
		expect(created.status).toBe(201);
		const row = await env.DB.prepare(
			"select id, dispatched_at from outbox_events where tenant_id = ? and type = 'customer.created'",
		)
			.bind(tenantId)
			.first<{ id: string; dispatched_at: string | null }>();
		expect(row?.dispatched_at).toBeNull();
		const event = await api(`/v1/billing/events/${row?.id}`, { key });
		expect(event.body).toMatchObject({ type: "customer.created", data: { object: { name: "Lost Send Ltd" } } });
		expect(event.body.request_id).toBe(created.headers.get("x-request-id"));

		const { sent, env: recording } = recordingQueue();
		const swept = await dispatchEvents(recording, database(env.DB), { tenantId });
		expect(swept).toBe(1);
		expect(sent.map((m) => (m.body as { event_id: string }).event_id)).toEqual([row?.id]);
		expect(await dispatchEvents(recording, database(env.DB), { tenantId })).toBe(0);
	});

	it("an event's object and previous are its change's audit snapshots: stored once, presented and delivered whole", async () => {
		const { key, tenantId } = await newTenant();
		await newEndpoint(key, ["invoice.finalized"]);
		const customer = await newCustomer(key);
		const invoice = await api("/v1/billing/invoices", {
			key,
			body: { customer_id: customer.id, finalize: true, items: [{ description: "Plan", unit_price: 1200 }] },
		});
		expect(invoice.status).toBe(201);
		const stored = await env.DB.prepare(
			"select id, type, data, audit_id from outbox_events where tenant_id = ? and resource_id = ? order by id",
		)
			.bind(tenantId, invoice.body.id)
			.all<{ id: string; type: string; data: string | null; audit_id: string | null }>();
		expect(stored.results.map((row) => [row.type, row.data, row.audit_id?.slice(0, 4)])).toEqual([
			["invoice.created", null, "aud_"],
			["invoice.finalized", null, "aud_"],
		]);
		const audit = await api(`/v1/billing/audit?order=asc&target_id=${invoice.body.id}`, { key });
		const snapshots = new Map(
			audit.body.data.map((entry: { id: string; before: unknown; after: unknown }) => [
				entry.id,
				{ object: entry.after, previous: entry.before },
			]),
		);
		for (const row of stored.results) {
			const event = await api(`/v1/billing/events/${row.id}`, { key });
			expect(event.body.data).toEqual(snapshots.get(row.audit_id as string));
		}
		const finalized = await api(`/v1/billing/events/${stored.results[1]?.id}`, { key });
		// The number the batch assigned is in the object, as in the invoice answered.
		expect(finalized.body.data.object).toMatchObject({ number: invoice.body.number, status: "issued" });
		expect(finalized.body.data.previous).toMatchObject({ number: null, status: "draft" });

		const { sent, env: recording } = recordingQueue();
		await consume([{ v: 1, kind: "event", tenant_id: tenantId, event_id: stored.results[1]?.id }], 1, recording);
		const bodies: unknown[] = [];
		vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
			bodies.push(JSON.parse(await new Request(input as RequestInfo, init).text()));
			return new Response(null, { status: 200 });
		});
		expect((await consume(sent.map((m) => m.body))).explicitAcks).toHaveLength(1);
		expect(bodies).toEqual([{ type: "invoice.finalized", timestamp: finalized.body.created_at, data: finalized.body }]);
	});

	it("an event never reads another tenant's audit row", async () => {
		const a = await newTenant();
		const b = await newTenant();
		await newCustomer(a.key, { name: "Private Ltd" });
		const auditId = await env.DB.prepare("select id from audit_log where tenant_id = ? and action = 'customer.created'")
			.bind(a.tenantId)
			.first<string>("id");
		const eventId = await insertEvent(b.tenantId);
		await env.DB.prepare("update outbox_events set data = null, audit_id = ? where id = ?")
			.bind(auditId, eventId)
			.run();
		const events = await api("/v1/billing/events?type=usage.adjusted", { key: b.key });
		expect(events.body.data.map((event: { id: string; data: unknown }) => [event.id, event.data])).toEqual([
			[eventId, { object: null, previous: null }],
		]);
		expect(events.text).not.toContain("Private Ltd");
	});

	it("a mutation announces its request once; the consumer fans its events out and marks them, per tenant", async () => {
		const a = await newTenant();
		const b = await newTenant();
		await newEndpoint(a.key, ["customer.created"]);
		const { sent, env: recording } = recordingQueue();
		const created = await createCustomerWith(a.key, recording, "Announced Ltd");
		const requestId = created.headers.get("x-request-id") as string;
		// The request made one queue message and no D1 call for it: its event is still undispatched.
		expect(sent.map((m) => m.body)).toEqual([{ v: 1, kind: "request", tenant_id: a.tenantId, request_id: requestId }]);
		expect(await env.DB.prepare(UNDISPATCHED).bind(a.tenantId).first("n")).toBe(1);

		sent.length = 0;
		const result = await consume(
			[
				{ v: 1, kind: "request", tenant_id: a.tenantId, request_id: requestId },
				// Another tenant naming A's request finds nothing of A's.
				{ v: 1, kind: "request", tenant_id: b.tenantId, request_id: requestId },
			],
			1,
			recording,
		);
		expect(result.explicitAcks).toHaveLength(2);
		expect(sent.map((m) => (m.body as { kind: string; tenant_id: string }).tenant_id)).toEqual([a.tenantId]);
		expect(await env.DB.prepare(UNDISPATCHED).bind(a.tenantId).first("n")).toBe(0);
		// A redelivered announcement finds the events dispatched and makes no second delivery.
		sent.length = 0;
		await consume([{ v: 1, kind: "request", tenant_id: a.tenantId, request_id: requestId }], 2, recording);
		expect(sent).toEqual([]);
	});

	it("a tenant with no endpoint announces nothing; the sweep marks its events without a message", async () => {
		const { key, tenantId } = await newTenant();
		const { sent, env: recording } = recordingQueue();
		const created = await createCustomerWith(key, recording);
		expect(created.status).toBe(201);
		expect(sent).toEqual([]);
		expect(await env.DB.prepare(UNDISPATCHED).bind(tenantId).first("n")).toBe(1);
		// Nothing waits for the webhooks queue, so the backlog gauge stays at zero.
		expect((await api("/v1/billing/metrics", { key })).text).toMatch(/^billing_outbox_undispatched_events 0$/m);

		expect(await dispatchEvents(recording, database(env.DB), { tenantId })).toBe(1);
		expect(sent).toEqual([]);
		expect(await env.DB.prepare(UNDISPATCHED).bind(tenantId).first("n")).toBe(0);
		// The events API still has the event.
		const events = await api("/v1/billing/events?type=customer.created", { key });
		expect(events.body.data).toHaveLength(1);
	});

	it("a tenant's first endpoint is heard at once: the next mutation announces, the sweep sends", async () => {
		const { key, tenantId } = await newTenant();
		const { sent, env: recording } = recordingQueue();
		await createCustomerWith(key, recording);
		expect(sent).toEqual([]);
		await newEndpoint(key, ["customer.created"]);
		const second = await createCustomerWith(key, recording);
		expect(sent.map((m) => m.body)).toEqual([
			{ v: 1, kind: "request", tenant_id: tenantId, request_id: second.headers.get("x-request-id") },
		]);
		// Both events wait for sending now, the first one too: the tenant has somewhere to send them.
		expect((await api("/v1/billing/metrics", { key })).text).toMatch(/^billing_outbox_undispatched_events 2$/m);
		sent.length = 0;
		expect(await dispatchEvents(recording, database(env.DB), { tenantId })).toBe(2);
		expect(sent).toHaveLength(2);
	});

	it("a failed fan-out leaves the request's events undispatched and retries the announcements", async () => {
		const { key, tenantId } = await newTenant();
		await newEndpoint(key);
		const requestId = "req_failing_fan_out";
		await insertEvent(tenantId, "usage.adjusted", { requestId, dispatched: false });
		const failing = { ...env, WEBHOOKS: { sendBatch: () => Promise.reject(new Error("queue down")) } };
		const result = await consume(
			[{ v: 1, kind: "request", tenant_id: tenantId, request_id: requestId }],
			1,
			failing as unknown as typeof env,
		);
		expect(result.retryMessages).toHaveLength(1);
		const row = await env.DB.prepare("select dispatched_at from outbox_events where tenant_id = ? and request_id = ?")
			.bind(tenantId, requestId)
			.first("dispatched_at");
		expect(row).toBeNull();
	});

	it("the sweep clears a backlog larger than one queue batch", async () => {
		const { key, tenantId } = await newTenant();
		await newEndpoint(key, ["plan.archived"]);
		const stmt = env.DB.prepare(
			"insert into outbox_events (id, tenant_id, type, resource_type, resource_id, data, request_id, created_at) values (?, ?, 'plan.archived', 'customer', 'cus_x', '{}', 'req_backlog', ?)",
		);
		await env.DB.batch(
			Array.from({ length: 150 }, (_, i) =>
				stmt.bind(`evt_BACKLOG${String(i).padStart(19, "0")}`, tenantId, new Date(0).toISOString()),
			),
		);
		const { sent, env: recording } = recordingQueue();
		expect(await dispatchEvents(recording, database(env.DB), { tenantId })).toBe(150);
		expect(new Set(sent.map((m) => (m.body as { event_id: string }).event_id)).size).toBe(150);
		expect(await dispatchEvents(recording, database(env.DB), { tenantId })).toBe(0);
	});
});
