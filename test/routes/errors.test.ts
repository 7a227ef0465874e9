import { env, SELF } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import app from "../../src/app";
import { errorCatalog } from "../../src/lib/errors";
import { api, expectProblemDocument, fieldsOf, newCustomer, newTenant } from "../helpers/api";

const GENERATED_REQUEST_ID = /^req_[0-9A-HJKMNP-TV-Z]{26}$/;

afterEach(() => {
	vi.restoreAllMocks();
});

describe("routing errors", () => {
	it("answers an unknown route with 404 route_not_found", async () => {
		const { key } = await newTenant();
		const res = await api("/v1/billing/nothing-here", { key });
		const problem = expectProblemDocument(res, 404, "route_not_found", "/v1/billing/nothing-here");
		expect(problem.title).toBe("No such route");
		expect(problem.detail).toContain("GET /v1/billing/nothing-here");
	});

	it("answers an unknown route outside /v1 with the same problem document", async () => {
		const res = await api("/not/a/route");
		expectProblemDocument(res, 404, "route_not_found", "/not/a/route");
	});

	it("answers a wrong method with 405 and an Allow header listing the route's methods", async () => {
		const { key } = await newTenant();
		const res = await api("/v1/billing/customers", { method: "PUT", key, body: { name: "x" } });
		const problem = expectProblemDocument(res, 405, "method_not_allowed", "/v1/billing/customers");
		expect(res.headers.get("allow")).toBe("GET, POST");
		expect(problem.allowed_methods).toEqual(["GET", "POST"]);
	});

	it("lists the methods of a parameterized route in Allow", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const res = await api(`/v1/billing/customers/${customer.id}`, { method: "PUT", key, body: { name: "x" } });
		expectProblemDocument(res, 405, "method_not_allowed");
		expect(res.headers.get("allow")?.split(", ").sort()).toEqual(["DELETE", "GET", "PATCH"]);
		const notes = await api(`/v1/billing/customers/${customer.id}/notes`, { method: "DELETE", key });
		expectProblemDocument(notes, 405, "method_not_allowed");
		expect(notes.headers.get("allow")?.split(", ").sort()).toEqual(["GET", "POST"]);
	});

	it("answers a trailing slash with 404, pointing at the path without it (a route, not a wrong method)", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		for (const path of ["/v1/billing/customers/", `/v1/billing/customers/${customer.id}/`]) {
			const res = await api(path, { key });
			expect(res.headers.get("allow")).toBeNull();
			expect(expectProblemDocument(res, 404, "route_not_found", path).detail).toContain(
				`Did you mean ${path.slice(0, -1)}?`,
			);
		}
		expect((await api("/v1/billing/customers/", { key, body: { name: "x" } })).status).toBe(404);
	});
});

describe("body errors", () => {
	it("answers malformed JSON with 400 malformed_json", async () => {
		const { key } = await newTenant();
		const res = await api("/v1/billing/customers", {
			key,
			rawBody: '{"name": "Acme",',
			headers: { "content-type": "application/json" },
		});
		const problem = expectProblemDocument(res, 400, "malformed_json", "/v1/billing/customers");
		expect(problem.detail).toContain("not valid JSON");
		expect((await api("/v1/billing/customers", { key })).body.data).toEqual([]);
	});

	it("answers a body over MAX_BODY_BYTES with 413 payload_too_large (declared Content-Length)", async () => {
		const { key } = await newTenant();
		const big = JSON.stringify({ name: "Big", metadata: { blob: "x".repeat(1_100_000) } });
		expect(big.length).toBeGreaterThan(1_048_576);
		const res = await api("/v1/billing/customers", {
			key,
			rawBody: big,
			headers: { "content-type": "application/json" },
		});
		const problem = expectProblemDocument(res, 413, "payload_too_large");
		expect(problem.limit_bytes).toBe(1_048_576);
		expect((await api("/v1/billing/customers", { key })).body.data).toEqual([]);
	});

	it("answers a streamed body over the limit with 413 even without Content-Length", async () => {
		const { key } = await newTenant();
		const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
		let sent = 0;
		const stream = new ReadableStream<Uint8Array>({
			pull(controller) {
				if (sent >= 1_150_000) return controller.close();
				sent += chunk.byteLength;
				controller.enqueue(chunk);
			},
		});
		const response = await SELF.fetch("https://billing.test/v1/billing/customers", {
			method: "POST",
			headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
			body: stream,
		});
		const text = await response.text();
		const res = { status: response.status, headers: response.headers, body: JSON.parse(text), text };
		expectProblemDocument(res, 413, "payload_too_large");
	});

	it("accepts a body just under the limit (the limit is not off by a large margin)", async () => {
		const { key } = await newTenant();
		// Under the limit, but a value too long for metadata: so the body is read and validated (422, not 413).
		const body = JSON.stringify({ name: "Near limit", metadata: { blob: "x".repeat(1_000_000) } });
		const res = await api("/v1/billing/customers", {
			key,
			rawBody: body,
			headers: { "content-type": "application/json" },
		});
		expect(fieldsOf(expectProblemDocument(res, 422, "validation_failed"))).toEqual(["body:metadata.blob"]);
	});

	it("answers a text/plain body with 415 unsupported_media_type and Accept-Post", async () => {
		const { key } = await newTenant();
		const res = await api("/v1/billing/customers", {
			key,
			rawBody: '{"name":"Acme"}',
			headers: { "content-type": "text/plain" },
		});
		const problem = expectProblemDocument(res, 415, "unsupported_media_type");
		expect(problem.detail).toContain("text/plain");
		expect(res.headers.get("accept-post")).toContain("application/json");
		expect((await api("/v1/billing/customers", { key })).body.data).toEqual([]);
	});

	it("answers a body without Content-Type with 415", async () => {
		const { key } = await newTenant();
		const response = await SELF.fetch("https://billing.test/v1/billing/customers", {
			method: "POST",
			headers: { authorization: `Bearer ${key}` },
			body: new TextEncoder().encode('{"name":"Acme"}'),
		});
		expect(response.status).toBe(415);
		expect(response.headers.get("content-type")).toBe("application/problem+json");
		expect(((await response.json()) as { code: string }).code).toBe("unsupported_media_type");
	});

	it("accepts JSON media types with a charset or a +json suffix", async () => {
		const { key } = await newTenant();
		const withCharset = await api("/v1/billing/customers", {
			key,
			rawBody: '{"name":"Charset Co"}',
			headers: { "content-type": "application/json; charset=utf-8" },
		});
		expect(withCharset.status).toBe(201);
		const mergePatch = await api(`/v1/billing/customers/${withCharset.body.id}`, {
			key,
			method: "PATCH",
			rawBody: '{"segment":"smb"}',
			headers: { "content-type": "application/merge-patch+json" },
		});
		expect(mergePatch.status).toBe(200);
		expect(mergePatch.body.segment).toBe("smb");
	});
});

describe("validation errors", () => {
	it("lists every invalid field with location, dotted path and message", async () => {
		const { key } = await newTenant();
		const res = await api("/v1/billing/customers", {
			key,
			body: {
				name: "",
				email: "not-an-email",
				billing_address: { country: "Germany", street: "Hauptstr. 1" },
				currency: "EURO",
				favourite_colour: "teal",
			},
		});
		const problem = expectProblemDocument(res, 422, "validation_failed", "/v1/billing/customers");
		for (const error of problem.errors) {
			expect(Object.keys(error).sort()).toEqual(["field", "location", "message"]);
			expect(error.location).toBe("body");
			expect(error.message.length).toBeGreaterThan(0);
		}
		expect(new Set(fieldsOf(problem))).toEqual(
			new Set([
				"body:name",
				"body:email",
				"body:billing_address.country",
				"body:billing_address.street",
				"body:currency",
				"body:favourite_colour",
			]),
		);
		const byField = Object.fromEntries(
			problem.errors.map((e: { field: string; message: string }) => [e.field, e.message]),
		);
		expect(byField["billing_address.street"]).toBe("is not a recognized field");
		expect(byField.favourite_colour).toBe("is not a recognized field");
		expect(byField["billing_address.country"]).toContain("ISO 3166-1 alpha-2");
		expect(byField.email).toBe("must be an email address");
		// The detail names the fields too, for humans reading logs.
		expect(problem.detail).toContain("billing_address.country");
	});

	it("reports a missing required field as 'is required'", async () => {
		const { key } = await newTenant();
		const res = await api("/v1/billing/customers", { key, body: {} });
		expect(expectProblemDocument(res, 422, "validation_failed").errors).toEqual([
			{ location: "body", field: "name", message: "is required" },
		]);
	});

	it("treats an empty POST body as an empty object (so required fields are reported)", async () => {
		const { key } = await newTenant();
		const res = await api("/v1/billing/customers", { key, method: "POST" });
		expect(fieldsOf(expectProblemDocument(res, 422, "validation_failed"))).toEqual(["body:name"]);
	});

	it("names the fields of the alternative an anyOf body came closest to", async () => {
		const { key } = await newTenant();
		const empty = await api("/v1/billing/recurring/run", { key, body: {} });
		expect(fieldsOf(expectProblemDocument(empty, 422, "validation_failed"))).toEqual(["body:date"]);
		const halfRange = await api("/v1/billing/recurring/run", { key, body: { from: "2026-01-01" } });
		expect(fieldsOf(expectProblemDocument(halfRange, 422, "validation_failed"))).toEqual(["body:to"]);
	});

	it("reports query and path parameters by their location", async () => {
		const { key } = await newTenant();
		const query = await api("/v1/billing/customers?limit=0&status=gone", { key });
		expect(new Set(fieldsOf(expectProblemDocument(query, 422, "validation_failed")))).toEqual(
			new Set(["query:limit", "query:status"]),
		);
		const path = await api("/v1/billing/customers/not-a-customer-id", { key });
		expect(expectProblemDocument(path, 422, "validation_failed").errors).toEqual([
			{ location: "path", field: "id", message: "must be a cus_ id" },
		]);
	});

	it("reports a JSON body that is not an object", async () => {
		const { key } = await newTenant();
		const res = await api("/v1/billing/customers", { key, body: ["not", "an", "object"] });
		expectProblemDocument(res, 422, "validation_failed");
	});
});

describe("request ids", () => {
	it("puts X-Request-Id on every response: success, problem, docs and the OpenAPI document", async () => {
		const { key } = await newTenant();
		const responses = [
			await api("/v1/billing/customers", { key }),
			await api("/v1/billing/customers", { key, body: { name: "Ok" } }),
			await api("/v1/billing/customers"),
			await api("/v1/billing/nowhere"),
			await api("/v1/billing/customers", { method: "PUT" }),
			await api("/v1/billing/health"),
			await api("/openapi.json"),
			await api("/docs"),
			await api("/problems/not_found"),
		];
		const ids = responses.map((res) => res.headers.get("x-request-id"));
		for (const id of ids) expect(id).toMatch(GENERATED_REQUEST_ID);
		expect(new Set(ids).size).toBe(ids.length);
	});

	it("echoes a valid client X-Request-Id in the header and the problem document", async () => {
		const { key } = await newTenant();
		const sent = "client-trace:42.abc_DEF";
		const ok = await api("/v1/billing/customers", { key, headers: { "X-Request-Id": sent } });
		expect(ok.headers.get("x-request-id")).toBe(sent);
		const problem = await api("/v1/billing/customers", { key, body: {}, headers: { "X-Request-Id": sent } });
		expect(expectProblemDocument(problem, 422, "validation_failed").request_id).toBe(sent);
	});

	it.each([
		["spaces", "has spaces in it"],
		["a slash", "a/b"],
		["129 characters", "a".repeat(129)],
	])("replaces a client X-Request-Id with %s by a generated one", async (_label, sent) => {
		const { key } = await newTenant();
		const res = await api("/v1/billing/customers", { key, headers: { "X-Request-Id": sent } });
		expect(res.headers.get("x-request-id")).toMatch(GENERATED_REQUEST_ID);
	});

	it("accepts a client X-Request-Id of exactly 128 characters", async () => {
		const sent = "r".repeat(128);
		const res = await api("/v1/billing/health", { headers: { "X-Request-Id": sent } });
		expect(res.headers.get("x-request-id")).toBe(sent);
	});
});

describe("problem types", () => {
	it("describes a problem type at /problems/{code}", async () => {
		const res = await api("/problems/validation_failed");
		expect(res.status).toBe(200);
		expect(res.body).toEqual({ type: "/problems/validation_failed", title: "Validation failed", status: 422 });
	});

	it("resolves every code in the catalog, and each problem's type URI", async () => {
		for (const [code, { status, title }] of Object.entries(errorCatalog)) {
			const res = await api(`/problems/${code}`);
			expect(res.status, code).toBe(200);
			expect(res.body).toEqual({ type: `/problems/${code}`, title, status });
		}
		const { key } = await newTenant();
		const problem = await api("/v1/billing/customers", { key, body: {} });
		const described = await api(problem.body.type);
		expect(described.body).toMatchObject({ title: problem.body.title, status: problem.body.status });
	});

	it("answers an unknown problem type with 404 not_found", async () => {
		expectProblemDocument(await api("/problems/no_such_problem"), 404, "not_found", "/problems/no_such_problem");
		// Inherited object properties are not problem types.
		expectProblemDocument(await api("/problems/constructor"), 404, "not_found");
	});
});

describe("unexpected failures", () => {
	it("answers an unexpected exception with an opaque 500 internal_error and logs it", async () => {
		const { key } = await newTenant();
		const logged = vi.spyOn(console, "error").mockImplementation(() => {});
		const brokenDb = {
			prepare: () => {
				throw new Error("SQLITE_SECRET_DETAIL: disk on fire");
			},
		};
		const response = await app.request(
			"/v1/billing/customers",
			{ headers: { authorization: `Bearer ${key}` } },
			{ ...env, DB: brokenDb as unknown as D1Database },
		);
		const text = await response.text();
		const res = { status: response.status, headers: response.headers, body: JSON.parse(text), text };
		const problem = expectProblemDocument(res, 500, "internal_error");
		expect(problem.detail).toContain("request id");
		expect(text).not.toContain("disk on fire");
		expect(text).not.toContain("stack");
		expect(logged).toHaveBeenCalled();
		expect(logged.mock.calls.map((call) => String(call[0])).join("\n")).toContain("disk on fire");
	});
});
