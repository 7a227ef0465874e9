import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import app from "../../src/app";
import type { Env } from "../../src/env";
import { api, expectProblemDocument, newCustomer, newKey, newRole, newTenant } from "../helpers/api";

/** Calls the app in-process with some bindings replaced, to simulate a failing subsystem. */
async function healthWith(overrides: Partial<Env>) {
	const response = await app.request("/v1/billing/health", {}, { ...env, ...overrides });
	return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

const SUBSYSTEMS = ["d1", "r2", "queue_usage_events", "queue_webhooks", "queue_jobs"];

describe("health", () => {
	it("answers 200 with every subsystem ok, without a credential", async () => {
		const res = await api("/v1/billing/health");
		expect(res.status).toBe(200);
		expect(res.headers.get("cache-control")).toBe("no-store");
		expect(res.body.status).toBe("ok");
		expect(Number.isNaN(Date.parse(res.body.time))).toBe(false);
		expect(Object.keys(res.body.checks).sort()).toEqual([...SUBSYSTEMS].sort());
		for (const name of SUBSYSTEMS) {
			expect(res.body.checks[name]).toEqual({ status: "ok", latency_ms: expect.any(Number) });
		}
	});

	it("answers 503 degraded when R2 throws, naming the failed check", async () => {
		const res = await healthWith({
			FILES: {
				head: () => {
					throw new Error("down");
				},
			} as unknown as R2Bucket,
		});
		expect(res.status).toBe(503);
		expect(res.body.status).toBe("degraded");
		expect(res.body.checks.r2).toEqual({ status: "failed", latency_ms: expect.any(Number), detail: "down" });
		for (const name of SUBSYSTEMS.filter((n) => n !== "r2")) expect(res.body.checks[name].status).toBe("ok");
	});

	it("answers 503 degraded when R2 rejects asynchronously", async () => {
		const res = await healthWith({
			FILES: { head: async () => Promise.reject(new Error("bucket unreachable")) } as unknown as R2Bucket,
		});
		expect(res.status).toBe(503);
		expect(res.body.checks.r2).toMatchObject({ status: "failed", detail: "bucket unreachable" });
	});

	it("answers 503 degraded when D1 fails", async () => {
		const res = await healthWith({
			DB: {
				prepare: () => ({
					first: async () => {
						throw new Error("D1_ERROR: database unavailable");
					},
				}),
			} as unknown as D1Database,
		});
		expect(res.status).toBe(503);
		expect(res.body.checks.d1).toMatchObject({ status: "failed", detail: "D1_ERROR: database unavailable" });
		expect(res.body.checks.r2.status).toBe("ok");
	});

	it("answers 503 degraded when a queue binding is missing", async () => {
		const res = await healthWith({ JOBS: undefined as unknown as Queue });
		expect(res.status).toBe(503);
		expect(res.body.checks.queue_jobs).toMatchObject({ status: "failed", detail: "queue binding is not configured" });
		expect(res.body.checks.queue_webhooks.status).toBe("ok");
	});
});

describe("metrics", () => {
	it("serves Prometheus text with the tenant's customers by status", async () => {
		const { key: admin } = await newTenant();
		const reader = await newKey(admin, "billing_reader");
		await newCustomer(admin, { name: "One" });
		await newCustomer(admin, { name: "Two" });
		const gone = await newCustomer(admin, { name: "Three" });
		await api(`/v1/billing/customers/${gone.id}`, { key: admin, method: "DELETE" });

		const res = await api("/v1/billing/metrics", { key: reader.secret });
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
		const text = res.text;
		expect(text).toContain("# TYPE billing_customers gauge");
		expect(text).toMatch(/^billing_customers\{status="active"\} 2$/m);
		expect(text).toMatch(/^billing_customers\{status="deleted"\} 1$/m);
		expect(text).toContain("# TYPE billing_http_requests_total counter");
		expect(text).toMatch(
			/^billing_http_requests_total\{method="POST",route="\/v1\/billing\/customers",status="201"\} 3$/m,
		);
		expect(text).toMatch(
			/^billing_http_request_duration_ms_count\{method="POST",route="\/v1\/billing\/customers",status="201"\} 3$/m,
		);
		expect(text).toMatch(/^billing_isolate_uptime_seconds \d+$/m);
		expect(text.endsWith("\n")).toBe(true);
		// Every sample line is `name{labels} value` or `name value`.
		for (const line of text.trimEnd().split("\n")) {
			if (line.startsWith("#")) expect(line).toMatch(/^# (HELP|TYPE) billing_\w+ /);
			else expect(line).toMatch(/^billing_\w+(\{[^}]*\})? -?[\d.]+$/);
		}
	});

	it("shows a tenant only its own customers and traffic", async () => {
		const a = await newTenant();
		const b = await newTenant();
		await newCustomer(a.key);
		await newCustomer(a.key);
		const res = await api("/v1/billing/metrics", { key: b.key });
		expect(res.status).toBe(200);
		expect(res.text).not.toMatch(/^billing_customers\{/m);
		expect(res.text).not.toContain('method="POST",route="/v1/billing/customers"');
	});

	it("needs metrics:read", async () => {
		const { key: admin } = await newTenant();
		await newRole(admin, "no_metrics", ["customers:read"]);
		const limited = await newKey(admin, "no_metrics");
		const res = await api("/v1/billing/metrics", { key: limited.secret });
		expect(expectProblemDocument(res, 403, "forbidden").required_permission).toBe("metrics:read");
		expectProblemDocument(await api("/v1/billing/metrics"), 401, "unauthenticated");
	});
});

describe("sla", () => {
	it("publishes objectives without a credential", async () => {
		const res = await api("/v1/billing/sla");
		expect(res.status).toBe(200);
		expect(res.body.availability_target).toBe("99.9% monthly");
		for (const target of Object.values(res.body.latency_targets_ms) as { p50: number; p99: number }[]) {
			expect(target.p50).toBeLessThan(target.p99);
		}
		expect(res.body.latency_targets_ms).toHaveProperty("reads");
		expect(res.body.support.runbooks.length).toBeGreaterThan(0);
	});
});

describe("API documentation", () => {
	it("serves an OpenAPI 3.1 document with the customer routes and their request schema", async () => {
		const res = await api("/openapi.json");
		expect(res.status).toBe(200);
		const doc = res.body;
		expect(doc.openapi).toMatch(/^3\.1\./);
		expect(doc.info).toMatchObject({ title: "Billing, Accounting & Invoicing API", version: "0.1.0" });
		expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });

		const customers = doc.paths["/v1/billing/customers"];
		expect(Object.keys(customers).sort()).toEqual(["get", "post"]);
		const create = customers.post;
		expect(create.operationId).toBe("createCustomer");
		expect(create.requestBody.required).toBe(true);
		const ref: string = create.requestBody.content["application/json"].schema.$ref;
		expect(ref).toBe("#/components/schemas/CustomerCreate");
		const schema = doc.components.schemas.CustomerCreate;
		expect(schema.type).toBe("object");
		expect(schema.required).toEqual(["name"]);
		expect(Object.keys(schema.properties).sort()).toEqual(
			[
				"account_code",
				"billing_address",
				"buyer_reference",
				"currency",
				"dunning_rule_id",
				"electronic_address",
				"email",
				"external_id",
				"metadata",
				"name",
				"payment_terms",
				"phone",
				"preferred_einvoice_format",
				"segment",
				"tax_exemption_reason",
				"tax_exemption_reason_code",
				"tax_id",
				"tax_status",
				"test_clock_id",
			].sort(),
		);
		expect(schema.additionalProperties).toBe(false);
		expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(["201", "401", "403", "422", "429"]));
		expect(create.description).toContain("customers:write");
		expect(create.responses["422"].content["application/problem+json"]).toBeDefined();
	});

	it("documents every platform route, and security only where a credential is needed", async () => {
		const doc = (await api("/openapi.json")).body;
		// Other capabilities add their own routes; the platform's must all be there.
		expect(Object.keys(doc.paths)).toEqual(
			expect.arrayContaining([
				"/v1/admin/tenants",
				"/v1/billing/audit",
				"/v1/billing/audit/{id}",
				"/v1/billing/customers",
				"/v1/billing/customers/{id}",
				"/v1/billing/customers/{id}/notes",
				"/v1/billing/health",
				"/v1/billing/keys",
				"/v1/billing/keys/{id}",
				"/v1/billing/metrics",
				"/v1/billing/roles",
				"/v1/billing/sla",
			]),
		);
		expect(doc.paths["/v1/billing/health"].get.security).toEqual([]);
		expect(doc.paths["/v1/billing/health"].get.responses).not.toHaveProperty("401");
		expect(doc.paths["/v1/billing/customers/{id}"].patch.security).toEqual([{ bearerAuth: [] }]);
		expect(doc.paths["/v1/admin/tenants"].post.description).toContain("operator token");
		const operationIds = Object.values(doc.paths).flatMap((item: any) =>
			Object.values(item).map((op: any) => op.operationId),
		);
		expect(operationIds.every((id) => typeof id === "string")).toBe(true);
		expect(new Set(operationIds).size).toBe(operationIds.length);
	});

	it("serves interactive docs as HTML that loads the OpenAPI document", async () => {
		const res = await api("/docs");
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toMatch(/^text\/html/);
		expect(res.text).toMatch(/<html/i);
		expect(res.text).toContain("/openapi.json");
	});
});
