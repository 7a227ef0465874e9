import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { adminToken, api, expectProblemDocument, newCustomer, newKey, newTenant } from "../helpers/api";
import { newInvoice } from "../helpers/invoices";

const idem = (key: string) => ({ "Idempotency-Key": key });

/** A route that claims its key first: creating a metric may start a job after its commit. */
const METRICS = "/v1/billing/billable-metrics";
const metric = (code: string) => ({ code, name: code, aggregation: "count" });

async function customerCount(key: string) {
	const res = await api("/v1/billing/customers?status=all&limit=100", { key });
	return res.body.data.length as number;
}

/** Moves an idempotency row's clock-driven fields, standing in for time passing. */
async function setIdempotencyRow(tenantId: string, key: string, fields: Record<string, string | null>) {
	const columns = Object.keys(fields);
	const result = await env.DB.prepare(
		`update idempotency_keys set ${columns.map((c) => `${c} = ?`).join(", ")} where tenant_id = ? and key = ?`,
	)
		.bind(...Object.values(fields), tenantId, key)
		.run();
	expect(result.meta.changes).toBe(1);
}

/** What a key will replay, as stored (its body in the key's row, or in the audit row it names). */
async function storedAnswer(tenantId: string, key: string) {
	const row = await env.DB.prepare(
		`select state, response_status, response_headers, coalesce(response_body,
			(select after from audit_log where audit_log.tenant_id = k.tenant_id and audit_log.id = k.audit_id)) as response_body
		from idempotency_keys k where tenant_id = ? and key = ?`,
	)
		.bind(tenantId, key)
		.first<{ state: string; response_status: number; response_body: string; response_headers: string }>();
	return (
		row && {
			state: row.state,
			status: row.response_status,
			body: row.response_body,
			headers: JSON.parse(row.response_headers),
		}
	);
}

describe("Idempotency-Key", () => {
	it("replays the first response (status, body, ETag, Location) and creates one customer", async () => {
		const { key } = await newTenant();
		const body = { name: "Replay GmbH", email: "ap@replay.example" };
		const first = await api("/v1/billing/customers", { key, body, headers: idem("create-replay-1") });
		expect(first.status).toBe(201);
		expect(first.headers.get("idempotent-replayed")).toBe(null);

		const second = await api("/v1/billing/customers", { key, body, headers: idem("create-replay-1") });
		expect(second.status).toBe(201);
		expect(second.headers.get("idempotent-replayed")).toBe("true");
		expect(second.body).toEqual(first.body);
		expect(second.text).toBe(first.text);
		expect(second.headers.get("etag")).toBe(first.headers.get("etag"));
		expect(second.headers.get("location")).toBe(`/v1/billing/customers/${first.body.id}`);
		expect(second.headers.get("content-type")).toBe(first.headers.get("content-type"));
		// A replay is its own request, with its own request id.
		expect(second.headers.get("x-request-id")).not.toBe(first.headers.get("x-request-id"));

		const third = await api("/v1/billing/customers", { key, body, headers: idem("create-replay-1") });
		expect(third.body).toEqual(first.body);
		expect(await customerCount(key)).toBe(1);
	});

	it("treats the request without the key as a new request", async () => {
		const { key } = await newTenant();
		const body = { name: "Twice Ltd" };
		await api("/v1/billing/customers", { key, body, headers: idem("only-first") });
		const plain = await api("/v1/billing/customers", { key, body });
		expect(plain.status).toBe(201);
		expect(plain.headers.get("idempotent-replayed")).toBe(null);
		expect(await customerCount(key)).toBe(2);
	});

	it("refuses the same key with a different body with 422 idempotency_key_reused", async () => {
		const { key } = await newTenant();
		const first = await api("/v1/billing/customers", { key, body: { name: "One" }, headers: idem("reused") });
		expect(first.status).toBe(201);
		const res = await api("/v1/billing/customers", { key, body: { name: "Two" }, headers: idem("reused") });
		expectProblemDocument(res, 422, "idempotency_key_reused");
		expect(await customerCount(key)).toBe(1);
	});

	it("refuses the same key on another route or method", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		await api("/v1/billing/customers", { key, body: { name: "Route A" }, headers: idem("cross-route") });
		const otherPath = await api(`/v1/billing/customers/${customer.id}/notes`, {
			key,
			body: { body: "Route A" },
			headers: idem("cross-route"),
		});
		expectProblemDocument(otherPath, 422, "idempotency_key_reused");
		const otherMethod = await api(`/v1/billing/customers/${customer.id}`, {
			key,
			method: "DELETE",
			headers: idem("cross-route"),
		});
		expectProblemDocument(otherMethod, 422, "idempotency_key_reused");
		expect((await api(`/v1/billing/customers/${customer.id}`, { key })).body.status).toBe("active");
	});

	it("lets exactly one of two concurrent requests with one key run", async () => {
		const { key } = await newTenant();
		for (let round = 0; round < 5; round++) {
			const body = { name: `Concurrent ${round}` };
			const [a, b] = await Promise.all([
				api("/v1/billing/customers", { key, body, headers: idem(`concurrent-${round}`) }),
				api("/v1/billing/customers", { key, body, headers: idem(`concurrent-${round}`) }),
			]);
			const ran = [a, b].filter((r) => r.status === 201 && r.headers.get("idempotent-replayed") === null);
			expect(ran, `round ${round}: ${a.status} ${a.text} / ${b.status} ${b.text}`).toHaveLength(1);
			const winner = ran[0];
			const other = winner === a ? b : a;
			if (other.status === 409) {
				expectProblemDocument(other, 409, "idempotency_in_progress");
				expect(other.headers.get("retry-after")).toBe("1");
			} else {
				expect(other.status).toBe(201);
				expect(other.headers.get("idempotent-replayed")).toBe("true");
				expect(other.body).toEqual(winner?.body);
			}
		}
		expect(await customerCount(key)).toBe(5);
	});

	it("scopes keys per tenant: the same key creates in each tenant", async () => {
		const a = await newTenant();
		const b = await newTenant();
		const body = { name: "Shared key Inc" };
		const inA = await api("/v1/billing/customers", { key: a.key, body, headers: idem("shared-across-tenants") });
		const inB = await api("/v1/billing/customers", { key: b.key, body, headers: idem("shared-across-tenants") });
		expect(inA.status).toBe(201);
		expect(inB.status).toBe(201);
		expect(inB.headers.get("idempotent-replayed")).toBe(null);
		expect(inB.body.id).not.toBe(inA.body.id);
		expect(await customerCount(a.key)).toBe(1);
		expect(await customerCount(b.key)).toBe(1);
	});

	it("scopes keys per tenant, not per API key: two keys of one tenant share them", async () => {
		const { key: admin } = await newTenant();
		const second = await newKey(admin, "billing_admin");
		const body = { name: "Same tenant" };
		const first = await api("/v1/billing/customers", { key: admin, body, headers: idem("tenant-wide") });
		const replay = await api("/v1/billing/customers", { key: second.secret, body, headers: idem("tenant-wide") });
		expect(replay.headers.get("idempotent-replayed")).toBe("true");
		expect(replay.body.id).toBe(first.body.id);
	});

	it("releases the key after a validation failure, so a corrected retry succeeds", async () => {
		const { key } = await newTenant();
		const bad = await api("/v1/billing/customers", { key, body: { name: "" }, headers: idem("fix-and-retry") });
		expectProblemDocument(bad, 422, "validation_failed");
		const fixed = await api("/v1/billing/customers", { key, body: { name: "Fixed" }, headers: idem("fix-and-retry") });
		expect(fixed.status).toBe(201);
		expect(fixed.headers.get("idempotent-replayed")).toBe(null);
		const replay = await api("/v1/billing/customers", { key, body: { name: "Fixed" }, headers: idem("fix-and-retry") });
		expect(replay.headers.get("idempotent-replayed")).toBe("true");
		expect(replay.body.id).toBe(fixed.body.id);
		expect(await customerCount(key)).toBe(1);
	});

	it("releases the key after a permission failure", async () => {
		const { key: admin } = await newTenant();
		const reader = await newKey(admin, "billing_reader");
		const body = { name: "Permission later" };
		expectProblemDocument(
			await api("/v1/billing/customers", { key: reader.secret, body, headers: idem("perm") }),
			403,
			"forbidden",
		);
		const retried = await api("/v1/billing/customers", { key: admin, body, headers: idem("perm") });
		expect(retried.status).toBe(201);
		expect(retried.headers.get("idempotent-replayed")).toBe(null);
	});

	it("stores a business failure such as 404 and replays it", async () => {
		const { key } = await newTenant();
		const missing = "cus_01J00000000000000000000000";
		const first = await api(`/v1/billing/customers/${missing}/notes`, {
			key,
			body: { body: "x" },
			headers: idem("stored-404"),
		});
		expectProblemDocument(first, 404, "not_found");
		const replay = await api(`/v1/billing/customers/${missing}/notes`, {
			key,
			body: { body: "x" },
			headers: idem("stored-404"),
		});
		expect(replay.status).toBe(404);
		expect(replay.headers.get("idempotent-replayed")).toBe("true");
		expect(replay.headers.get("content-type")).toBe("application/problem+json");
		expect(replay.body.code).toBe("not_found");
	});

	it("stores a payment's response in the payment's own commit and replays it byte for byte", async () => {
		const { key, tenantId } = await newTenant();
		const customer = await newCustomer(key);
		const invoice = await newInvoice(key, customer.id, { finalize: true });
		const body = { customer_id: customer.id, amount: 700, currency: "EUR", payment_method: "bank_transfer" };
		const first = await api("/v1/billing/payments", { key, body, headers: idem("pay-once") });
		expect(first.status).toBe(201);
		expect(first.body.allocations).toEqual([
			{ invoice_id: invoice.id, amount: 700, applied_at: first.body.created_at },
		]);
		// What the commit stored is exactly what was sent, and the payment reads back the same.
		expect(await storedAnswer(tenantId, "pay-once")).toEqual({
			state: "completed",
			status: 201,
			body: first.text,
			headers: { "content-type": first.headers.get("content-type"), location: `/v1/billing/payments/${first.body.id}` },
		});
		expect((await api(`/v1/billing/payments/${first.body.id}`, { key })).body).toEqual(first.body);

		const replay = await api("/v1/billing/payments", { key, body, headers: idem("pay-once") });
		expect(replay.status).toBe(201);
		expect(replay.headers.get("idempotent-replayed")).toBe("true");
		expect(replay.text).toBe(first.text);
		expect(replay.headers.get("location")).toBe(first.headers.get("location"));
		expect((await api("/v1/billing/payments", { key })).body.data).toHaveLength(1);

		// A payment the account refuses is stored by the middleware as before, and replayed.
		const voided = await newInvoice(key, customer.id, { finalize: true });
		expect((await api(`/v1/billing/invoices/${voided.id}/void`, { key, method: "POST" })).status).toBe(200);
		const refused = { ...body, invoice_id: voided.id };
		const failed = await api("/v1/billing/payments", { key, body: refused, headers: idem("pay-refused") });
		expectProblemDocument(failed, 409, "invalid_state");
		const again = await api("/v1/billing/payments", { key, body: refused, headers: idem("pay-refused") });
		expect(again.headers.get("idempotent-replayed")).toBe("true");
		expect(again.text).toBe(failed.text);
	});

	it("stores the body of an answer that is the change it made once, in the change's audit row", async () => {
		const { key, tenantId } = await newTenant();
		const customer = await api("/v1/billing/customers", { key, body: { name: "Once" }, headers: idem("once-c") });
		const body = { customer_id: customer.body.id, finalize: true, items: [{ description: "x", unit_price: 900 }] };
		const invoice = await api("/v1/billing/invoices", { key, body, headers: idem("once-i") });
		const paid = { customer_id: customer.body.id, amount: 900, currency: "EUR", payment_method: "bank_transfer" };
		const payment = await api("/v1/billing/payments", { key, body: paid, headers: idem("once-p") });
		for (const [name, sent, action] of [
			["once-c", customer, "customer.created"],
			["once-i", invoice, "invoice.finalized"],
			["once-p", payment, "payment.recorded"],
		] as const) {
			const row = await env.DB.prepare(
				`select k.response_body, a.action, a.after from idempotency_keys k
				join audit_log a on a.tenant_id = k.tenant_id and a.id = k.audit_id where k.tenant_id = ? and k.key = ?`,
			)
				.bind(tenantId, name)
				.first<{ response_body: string | null; action: string; after: string }>();
			expect(row).toEqual({ response_body: null, action, after: sent.text });
		}

		// A key naming another tenant's audit row replays nothing of it.
		const other = await newTenant();
		const otherCustomer = await api("/v1/billing/customers", { key: other.key, body: { name: "Other" } });
		const { id: foreignAudit } = (await env.DB.prepare("select id from audit_log where tenant_id = ? and target_id = ?")
			.bind(other.tenantId, otherCustomer.body.id)
			.first<{ id: string }>()) as { id: string };
		await setIdempotencyRow(tenantId, "once-c", { audit_id: foreignAudit });
		expect((await storedAnswer(tenantId, "once-c"))?.body).toBe(null);
		const replay = await api("/v1/billing/customers", { key, body: { name: "Once" }, headers: idem("once-c") });
		expect(replay.text).not.toContain("Other");
	});

	it("stores an issued invoice's response, number included, in the invoice's own commit", async () => {
		const { key, tenantId } = await newTenant();
		const customer = await newCustomer(key);
		// Text JSON escapes, non-ASCII and an emoji: the stored body must be the sent one byte for byte.
		const body = {
			customer_id: customer.id,
			finalize: true,
			memo: 'Grüße "quoted" \\ back\\slash / slash \u00e9 😀 \n new line \u0001 control \u2028 separator',
			metadata: { clé: "välue", nested: "tab\tend" },
			items: [
				{
					description: "Beratung – “Phase 1”",
					quantity: "1.5",
					unit_price: 10_000,
					taxes: [{ jurisdiction: "DE", rate: 7.25 }],
				},
			],
		};
		const first = await api("/v1/billing/invoices", { key, body, headers: idem("issue-once") });
		expect(first.status).toBe(201);
		expect(first.body.number).toMatch(/\d/);
		const fetched = await api(`/v1/billing/invoices/${first.body.id}`, { key });
		expect(fetched.body).toEqual(first.body);
		expect(fetched.headers.get("etag")).toBe(first.headers.get("etag"));

		expect(await storedAnswer(tenantId, "issue-once")).toEqual({
			state: "completed",
			status: 201,
			body: first.text,
			headers: {
				"content-type": first.headers.get("content-type"),
				etag: first.headers.get("etag"),
				location: `/v1/billing/invoices/${first.body.id}`,
			},
		});

		const replay = await api("/v1/billing/invoices", { key, body, headers: idem("issue-once") });
		expect(replay.headers.get("idempotent-replayed")).toBe("true");
		expect(replay.text).toBe(first.text);
		expect(replay.headers.get("etag")).toBe(first.headers.get("etag"));
		expect((await api("/v1/billing/invoices", { key })).body.data).toHaveLength(1);
	});

	describe("answered in the operation's own commit (payments, invoice and customer creation)", () => {
		const payment = (customerId: string) => ({
			customer_id: customerId,
			amount: 700,
			currency: "EUR",
			payment_method: "bank_transfer",
		});
		const draft = (customerId: string) => ({
			customer_id: customerId,
			items: [{ description: "Hours", quantity: "2", unit_price: 5_000 }],
		});
		/** Exactly one request ran; every other one answered with its stored response, replayed. */
		function expectOneRanOthersReplayed(results: Awaited<ReturnType<typeof api>>[]) {
			const ran = results.filter((r) => r.headers.get("idempotent-replayed") === null);
			expect(ran, results.map((r) => `${r.status} ${r.text}`).join(" / ")).toHaveLength(1);
			for (const other of results.filter((r) => r !== ran[0])) {
				expect(other.status).toBe(201);
				expect(other.headers.get("idempotent-replayed")).toBe("true");
				expect(other.text).toBe(ran[0]?.text);
			}
		}

		it("replays concurrent retries of a payment: the account finds the key answered", async () => {
			const { key } = await newTenant();
			const customer = await newCustomer(key);
			const results = await Promise.all(
				Array.from({ length: 6 }, () =>
					api("/v1/billing/payments", { key, body: payment(customer.id), headers: idem("pay-burst") }),
				),
			);
			expectOneRanOthersReplayed(results);
			expect((await api("/v1/billing/payments", { key })).body.data).toHaveLength(1);
		});

		it("replays concurrent retries of a draft: the losing commits fail on the key and replay the winner", async () => {
			const { key, tenantId } = await newTenant();
			const customer = await newCustomer(key);
			const results = await Promise.all(
				Array.from({ length: 6 }, () =>
					api("/v1/billing/invoices", { key, body: draft(customer.id), headers: idem("draft-burst") }),
				),
			);
			expectOneRanOthersReplayed(results);
			expect((await api("/v1/billing/invoices", { key })).body.data).toHaveLength(1);
			expect((await storedAnswer(tenantId, "draft-burst"))?.body).toBe(results[0]?.text);
		});

		it("stores an update's answer in the update's commit, its body read from the change's audit row", async () => {
			const { key, tenantId } = await newTenant();
			const customer = await newCustomer(key);
			const path = `/v1/billing/customers/${customer.id}`;
			const patch = { segment: "smb" };
			const results = await Promise.all(
				Array.from({ length: 4 }, () => api(path, { key, method: "PATCH", body: patch, headers: idem("patch-burst") })),
			);
			const ran = results.filter((r) => r.headers.get("idempotent-replayed") === null);
			expect(ran).toHaveLength(1);
			for (const other of results) {
				expect(other.status).toBe(200);
				expect(other.text).toBe(ran[0]?.text);
				expect(other.headers.get("etag")).toBe('"2"');
			}
			const stored = await storedAnswer(tenantId, "patch-burst");
			expect(stored).toMatchObject({ state: "completed", status: 200, body: ran[0]?.text });
			expect(stored?.headers).toEqual({ "content-type": "application/json", etag: '"2"' });
			expect((await api(path, { key })).body.version).toBe(2);
		});

		it("replays a void that raced its own retry: the retry failing on the voided invoice answers as the first", async () => {
			const { key } = await newTenant();
			const customer = await newCustomer(key);
			const invoice = await newInvoice(key, customer.id, { finalize: true });
			const path = `/v1/billing/invoices/${invoice.id}/void`;
			const results = await Promise.all(
				Array.from({ length: 4 }, () => api(path, { key, body: {}, headers: idem("void-burst") })),
			);
			const ran = results.filter((r) => r.headers.get("idempotent-replayed") === null);
			expect(ran, results.map((r) => `${r.status} ${r.text}`).join(" / ")).toHaveLength(1);
			for (const other of results) {
				expect(other.status).toBe(200);
				expect(other.text).toBe(ran[0]?.text);
			}
			expect(ran[0]?.body.status).toBe("voided");
			// Without the key, voiding again is the conflict it is.
			expectProblemDocument(await api(path, { key, body: {} }), 409, "invalid_state");
		});

		it("shares keys with the routes that claim them, and among themselves: a key used by one is refused to the others", async () => {
			const { key } = await newTenant();
			const customer = await newCustomer(key);
			await api(METRICS, { key, body: metric("first"), headers: idem("shared-a") });
			const paid = await api("/v1/billing/payments", { key, body: payment(customer.id), headers: idem("shared-a") });
			expectProblemDocument(paid, 422, "idempotency_key_reused");
			expect((await api("/v1/billing/payments", { key })).body.data).toHaveLength(0);

			expect(
				(await api("/v1/billing/payments", { key, body: payment(customer.id), headers: idem("shared-b") })).status,
			).toBe(201);
			const measured = await api(METRICS, { key, body: metric("second"), headers: idem("shared-b") });
			expectProblemDocument(measured, 422, "idempotency_key_reused");
			const created = await api("/v1/billing/customers", { key, body: { name: "Second" }, headers: idem("shared-b") });
			expectProblemDocument(created, 422, "idempotency_key_reused");
			const invoiced = await api("/v1/billing/invoices", { key, body: draft(customer.id), headers: idem("shared-b") });
			expectProblemDocument(invoiced, 422, "idempotency_key_reused");
			expect((await api(METRICS, { key })).body.data).toHaveLength(1);
		});

		it("lets exactly one of a payment and a route that claims first, racing for one key, run", async () => {
			const { key } = await newTenant();
			const customer = await newCustomer(key);
			for (let round = 0; round < 5; round++) {
				const headers = idem(`race-${round}`);
				const results = await Promise.all([
					api("/v1/billing/payments", { key, body: payment(customer.id), headers }),
					api(METRICS, { key, body: metric(`racer_${round}`), headers }),
				]);
				const ran = results.filter((r) => r.status === 201);
				expect(ran, results.map((r) => `${r.status} ${r.text}`).join(" / ")).toHaveLength(1);
				const refused = results.find((r) => r.status !== 201);
				expect([409, 422]).toContain(refused?.status);
			}
			const payments = (await api("/v1/billing/payments", { key })).body.data.length;
			expect(payments + (await api(METRICS, { key })).body.data.length).toBe(5);
		});

		it("neither claims nor stores the key of a request that fails validation; answers 409 while the key is held", async () => {
			const { key, tenantId } = await newTenant();
			const customer = await newCustomer(key);
			const bad = await api("/v1/billing/payments", {
				key,
				body: { ...payment(customer.id), amount: -1 },
				headers: idem("pay-fix"),
			});
			expectProblemDocument(bad, 422, "validation_failed");
			expect(await storedAnswer(tenantId, "pay-fix")).toBe(null);
			const fixed = await api("/v1/billing/payments", { key, body: payment(customer.id), headers: idem("pay-fix") });
			expect(fixed.status).toBe(201);
			expect(fixed.headers.get("idempotent-replayed")).toBe(null);

			// The first request as if still running, its lock held: a retry answers 409 and records nothing.
			await setIdempotencyRow(tenantId, "pay-fix", {
				state: "in_progress",
				response_status: null,
				response_body: null,
				locked_until: "2999-01-01T00:00:00.000Z",
			});
			const busy = await api("/v1/billing/payments", { key, body: payment(customer.id), headers: idem("pay-fix") });
			expectProblemDocument(busy, 409, "idempotency_in_progress");
			expect(busy.headers.get("retry-after")).toBe("1");
			expect((await api("/v1/billing/payments", { key })).body.data).toHaveLength(1);
		});

		it("takes over an expired key in the commit that answers it", async () => {
			const { key, tenantId } = await newTenant();
			const customer = await newCustomer(key);
			await api("/v1/billing/customers", { key, body: { name: "Long ago" }, headers: idem("pay-expired") });
			await setIdempotencyRow(tenantId, "pay-expired", { expires_at: "2000-01-01T00:00:00.000Z" });
			const paid = await api("/v1/billing/payments", { key, body: payment(customer.id), headers: idem("pay-expired") });
			expect(paid.status).toBe(201);
			expect(paid.headers.get("idempotent-replayed")).toBe(null);
			expect(await storedAnswer(tenantId, "pay-expired")).toMatchObject({ state: "completed", body: paid.text });
		});
	});

	it("replays PATCH and DELETE instead of re-running them", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const path = `/v1/billing/customers/${customer.id}`;
		const patch = { segment: "enterprise", version: 1 };
		const updated = await api(path, { key, method: "PATCH", body: patch, headers: idem("patch-once") });
		expect(updated.status).toBe(200);
		const patchReplay = await api(path, { key, method: "PATCH", body: patch, headers: idem("patch-once") });
		expect(patchReplay.status).toBe(200);
		expect(patchReplay.headers.get("idempotent-replayed")).toBe("true");
		expect(patchReplay.body).toEqual(updated.body);

		const deleted = await api(path, { key, method: "DELETE", headers: idem("delete-once") });
		expect(deleted.status).toBe(200);
		// Without the key, a second delete is a conflict; with it, the first answer comes back.
		const deleteReplay = await api(path, { key, method: "DELETE", headers: idem("delete-once") });
		expect(deleteReplay.status).toBe(200);
		expect(deleteReplay.headers.get("idempotent-replayed")).toBe("true");
		expect(deleteReplay.body).toEqual(deleted.body);
		expectProblemDocument(await api(path, { key, method: "DELETE" }), 409, "invalid_state");
		expect((await api(path, { key })).body.version).toBe(3);
	});

	it("ignores the header on GET", async () => {
		const { key } = await newTenant();
		await newCustomer(key);
		const a = await api("/v1/billing/customers", { key, headers: idem("get-key") });
		await newCustomer(key);
		const b = await api("/v1/billing/customers", { key, headers: idem("get-key") });
		expect(b.headers.get("idempotent-replayed")).toBe(null);
		expect(b.body.data).toHaveLength(a.body.data.length + 1);
	});

	it.each([
		["empty", ""],
		["256 characters", "k".repeat(256)],
		["a space", "has space"],
		["a tab", "tab\tinside"],
	])("refuses a malformed key (%s) with 422 on the header", async (_label, value) => {
		const { key } = await newTenant();
		const res = await api("/v1/billing/customers", { key, body: { name: "X" }, headers: idem(value) });
		expect(expectProblemDocument(res, 422, "validation_failed").errors).toEqual([
			{ location: "header", field: "Idempotency-Key", message: expect.any(String) },
		]);
		expect(await customerCount(key)).toBe(0);
	});

	it("accepts a key of exactly 255 printable characters", async () => {
		const { key } = await newTenant();
		const res = await api("/v1/billing/customers", { key, body: { name: "Long key" }, headers: idem("~".repeat(255)) });
		expect(res.status).toBe(201);
	});

	/** A route that claims its key before its handler, and one that answers it in its own commit. */
	const keyedRoutes = [
		{
			kind: "claimed first (usage adjustments)",
			prepare: async (key: string) => {
				const customer = await newCustomer(key);
				await api(METRICS, { key, body: metric("calls") });
				return { path: "/v1/billing/usage/adjust", body: { customer_id: customer.id, metric: "calls", quantity: 1 } };
			},
			body: (sent: Record<string, unknown>, text: string) => ({ ...sent, reason: text }),
		},
		{
			kind: "answered in the commit (customers)",
			prepare: async () => ({ path: "/v1/billing/customers", body: {} }),
			body: (sent: Record<string, unknown>, text: string) => ({ ...sent, name: text }),
		},
	];

	it.each(keyedRoutes)(
		"answers 409 while the first request holds the key, and lets a retry take over a dead holder's key: $kind",
		async (route) => {
			const { key, tenantId } = await newTenant();
			const { path, body: sent } = await route.prepare(key);
			const body = route.body(sent, "Crashed midway");
			const first = await api(path, { key, body, headers: idem("dead-holder") });
			expect(first.status).toBe(201);

			// As if the first request were still running: in progress, lock held.
			await setIdempotencyRow(tenantId, "dead-holder", {
				state: "in_progress",
				response_status: null,
				response_body: null,
				locked_until: "2999-01-01T00:00:00.000Z",
			});
			const busy = await api(path, { key, body, headers: idem("dead-holder") });
			expectProblemDocument(busy, 409, "idempotency_in_progress");
			expect(busy.headers.get("retry-after")).toBe("1");

			// The holder died: its lock lapsed. The same request may take the key again…
			await setIdempotencyRow(tenantId, "dead-holder", { locked_until: "2000-01-01T00:00:00.000Z" });
			const different = await api(path, { key, body: route.body(sent, "Other"), headers: idem("dead-holder") });
			expectProblemDocument(different, 422, "idempotency_key_reused");
			const retried = await api(path, { key, body, headers: idem("dead-holder") });
			expect(retried.status).toBe(201);
			expect(retried.headers.get("idempotent-replayed")).toBe(null);
			expect(retried.body.id).not.toBe(first.body.id);
		},
	);

	it.each(keyedRoutes)("frees a key once it has expired, even for a different request: $kind", async (route) => {
		const { key, tenantId } = await newTenant();
		const { path, body: sent } = await route.prepare(key);
		const first = await api(path, { key, body: route.body(sent, "Old"), headers: idem("expiring") });
		expect(first.status).toBe(201);
		await setIdempotencyRow(tenantId, "expiring", { expires_at: "2000-01-01T00:00:00.000Z" });
		const reused = await api(path, { key, body: route.body(sent, "New"), headers: idem("expiring") });
		expect(reused.status).toBe(201);
		expect(reused.headers.get("idempotent-replayed")).toBe(null);
		expect(reused.body.id).not.toBe(first.body.id);
	});

	it("keeps a completed key for 24 hours", async () => {
		const { key, tenantId } = await newTenant();
		await api("/v1/billing/customers", { key, body: { name: "Kept" }, headers: idem("retention") });
		const row = await env.DB.prepare(
			"select created_at, expires_at, state from idempotency_keys where tenant_id = ? and key = ?",
		)
			.bind(tenantId, "retention")
			.first<{ created_at: string; expires_at: string; state: string }>();
		expect(row?.state).toBe("completed");
		expect(Date.parse(row?.expires_at ?? "") - Date.parse(row?.created_at ?? "")).toBe(24 * 60 * 60 * 1000);
	});

	it("applies to the operator's routes too", async () => {
		const body = { name: "Idempotent tenant", default_currency: "CHF" };
		const first = await api("/v1/admin/tenants", { key: adminToken(), body, headers: idem("operator-onboard") });
		const replay = await api("/v1/admin/tenants", { key: adminToken(), body, headers: idem("operator-onboard") });
		expect(first.status).toBe(201);
		expect(replay.status).toBe(201);
		expect(replay.headers.get("idempotent-replayed")).toBe("true");
		expect(replay.body.tenant.id).toBe(first.body.tenant.id);
	});

	it("does not claim a key for a request refused before it started (415)", async () => {
		const { key } = await newTenant();
		const refused = await api("/v1/billing/customers", {
			key,
			rawBody: '{"name":"Typed wrong"}',
			headers: { "content-type": "text/plain", ...idem("pre-check") },
		});
		expectProblemDocument(refused, 415, "unsupported_media_type");
		const ok = await api("/v1/billing/customers", { key, body: { name: "Typed right" }, headers: idem("pre-check") });
		expect(ok.status).toBe(201);
		expect(ok.headers.get("idempotent-replayed")).toBe(null);
	});
});
