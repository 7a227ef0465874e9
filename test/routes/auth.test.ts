import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { forgetResolvedApiKeys } from "../../src/services/keys/resolveApiKey";
import {
	adminToken,
	api,
	expectProblemDocument,
	fieldsOf,
	newCustomer,
	newKey,
	newRole,
	newTenant,
	newTenantWithKeyId,
} from "../helpers/api";

const BEARER_CHALLENGE = 'Bearer realm="billing"';

describe("authentication", () => {
	it("refuses a request without a credential with 401 and a Bearer challenge", async () => {
		await newTenant();
		const res = await api("/v1/billing/customers");
		expectProblemDocument(res, 401, "unauthenticated", "/v1/billing/customers");
		expect(res.headers.get("www-authenticate")).toBe(BEARER_CHALLENGE);
	});

	it.each([
		["a non-Bearer scheme", "Basic dXNlcjpwYXNz"],
		["Bearer without a token", "Bearer"],
		["Bearer with two tokens", "Bearer sk_one sk_two"],
		["a bare token", "sk_no_scheme_at_all"],
	])("refuses a malformed Authorization header (%s) with 401", async (_label, header) => {
		await newTenant();
		const res = await api("/v1/billing/customers", { headers: { authorization: header } });
		const problem = expectProblemDocument(res, 401, "unauthenticated");
		expect(problem.detail).toContain("Bearer");
		expect(res.headers.get("www-authenticate")).toBe(BEARER_CHALLENGE);
	});

	it("refuses an unknown key with 401", async () => {
		const { key } = await newTenant();
		// Same shape as a real key, one character different.
		const forged = `${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`;
		const res = await api("/v1/billing/customers", { key: forged });
		expectProblemDocument(res, 401, "unauthenticated");
		expect(res.headers.get("www-authenticate")).toBe(BEARER_CHALLENGE);
	});

	it("accepts the scheme name case-insensitively", async () => {
		const { key } = await newTenant();
		const res = await api("/v1/billing/customers", { headers: { authorization: `bearer ${key}` } });
		expect(res.status).toBe(200);
	});

	it("refuses a revoked key on its very next request", async () => {
		const { key: admin } = await newTenant();
		const reader = await newKey(admin, "billing_reader");
		expect((await api("/v1/billing/customers", { key: reader.secret })).status).toBe(200);

		const revoked = await api(`/v1/billing/keys/${reader.id}`, { method: "DELETE", key: admin });
		expect(revoked.status).toBe(200);
		expect(revoked.body.revoked_at).toEqual(expect.any(String));

		const res = await api("/v1/billing/customers", { key: reader.secret });
		expectProblemDocument(res, 401, "unauthenticated");
		expect(res.headers.get("www-authenticate")).toBe(BEARER_CHALLENGE);
		// The admin key that revoked it is unaffected.
		expect((await api("/v1/billing/customers", { key: admin })).status).toBe(200);
	});

	it("refuses to create a key that expires in the past (422 on expires_at)", async () => {
		const { key: admin } = await newTenant();
		const res = await api("/v1/billing/keys", {
			key: admin,
			body: { name: "stale", role: "billing_reader", expires_at: "2001-01-01T00:00:00Z" },
		});
		const problem = expectProblemDocument(res, 422, "validation_failed");
		expect(problem.errors).toEqual([{ location: "body", field: "expires_at", message: "must be in the future" }]);
	});

	it("refuses an expires_at that is not an RFC 3339 timestamp", async () => {
		const { key: admin } = await newTenant();
		const res = await api("/v1/billing/keys", {
			key: admin,
			body: { name: "bad", role: "billing_reader", expires_at: "next tuesday" },
		});
		expect(fieldsOf(expectProblemDocument(res, 422, "validation_failed"))).toEqual(["body:expires_at"]);
	});

	it("accepts a key while it is live and refuses it once expires_at has passed", async () => {
		const { key: admin } = await newTenant();
		const created = await api("/v1/billing/keys", {
			key: admin,
			body: { name: "temporary", role: "billing_reader", expires_at: "2099-06-01T12:00:00+02:00" },
		});
		expect(created.status).toBe(201);
		expect(created.body.expires_at).toBe("2099-06-01T10:00:00.000Z");
		expect((await api("/v1/billing/customers", { key: created.body.secret })).status).toBe(200);

		// Waiting for real expiry would make the test depend on wall-clock time; move the expiry instead,
		// and drop the isolate's resolved keys, which would otherwise keep the old expiry for seconds.
		await env.DB.prepare("update api_keys set expires_at = ? where id = ?")
			.bind("2001-01-01T00:00:00.000Z", created.body.id)
			.run();
		forgetResolvedApiKeys();
		const res = await api("/v1/billing/customers", { key: created.body.secret });
		expectProblemDocument(res, 401, "unauthenticated");
	});
});

describe("resolved keys", () => {
	it("are refused at once when revoked through this isolate", async () => {
		const { key: admin } = await newTenant();
		const reader = await newKey(admin, "billing_reader");
		expect((await api("/v1/billing/customers", { key: reader.secret })).status).toBe(200);
		expect((await api(`/v1/billing/keys/${reader.id}`, { key: admin, method: "DELETE" })).status).toBe(200);
		expectProblemDocument(await api("/v1/billing/customers", { key: reader.secret }), 401, "unauthenticated");
	});

	it("are kept briefly: a revocation written elsewhere counts once the isolate looks the key up again", async () => {
		const { key: admin } = await newTenant();
		const reader = await newKey(admin, "billing_reader");
		expect((await api("/v1/billing/customers", { key: reader.secret })).status).toBe(200);
		// As another isolate's revocation: the row changes, this isolate's resolved key does not (yet).
		await env.DB.prepare("update api_keys set revoked_at = ? where id = ?")
			.bind(new Date().toISOString(), reader.id)
			.run();
		expect((await api("/v1/billing/customers", { key: reader.secret })).status).toBe(200);
		forgetResolvedApiKeys(); // what the end of the cache's few seconds does
		expectProblemDocument(await api("/v1/billing/customers", { key: reader.secret }), 401, "unauthenticated");
	});
});

describe("authorization", () => {
	it("answers 403 forbidden when the key's role lacks the route's permission", async () => {
		const { key: admin } = await newTenant();
		const reader = await newKey(admin, "billing_reader");
		const res = await api("/v1/billing/customers", { key: reader.secret, body: { name: "Nope Ltd" } });
		const problem = expectProblemDocument(res, 403, "forbidden", "/v1/billing/customers");
		expect(problem.required_permission).toBe("customers:write");
		expect(problem.detail).toContain("billing_reader");
		// Nothing was created.
		const list = await api("/v1/billing/customers?status=all", { key: admin });
		expect(list.body.data).toEqual([]);
	});

	it("checks permission before validation, so a caller without access learns nothing of the schema", async () => {
		const { key: admin } = await newTenant();
		const reader = await newKey(admin, "billing_reader");
		const res = await api("/v1/billing/customers", { key: reader.secret, body: { bogus: true } });
		const problem = expectProblemDocument(res, 403, "forbidden");
		expect(problem.errors).toBeUndefined();
	});

	it("lets a billing_reader read what it may read", async () => {
		const { key: admin } = await newTenant();
		const customer = await newCustomer(admin);
		const reader = await newKey(admin, "billing_reader");
		expect((await api(`/v1/billing/customers/${customer.id}`, { key: reader.secret })).status).toBe(200);
		expect((await api("/v1/billing/keys", { key: reader.secret })).status).toBe(200);
		expect((await api("/v1/billing/audit", { key: reader.secret })).status).toBe(200);
	});

	it("collections_agent may add notes but may not create customers or read keys", async () => {
		const { key: admin } = await newTenant();
		const customer = await newCustomer(admin);
		const agent = await newKey(admin, "collections_agent");
		const note = await api(`/v1/billing/customers/${customer.id}/notes`, {
			key: agent.secret,
			body: { body: "Called, promised payment." },
		});
		expect(note.status).toBe(201);
		expect(note.body.author_id).toBe(agent.id);
		expectProblemDocument(
			await api("/v1/billing/customers", { key: agent.secret, body: { name: "X" } }),
			403,
			"forbidden",
		);
		expectProblemDocument(await api("/v1/billing/keys", { key: agent.secret }), 403, "forbidden");
		expectProblemDocument(await api("/v1/billing/roles", { key: agent.secret }), 403, "forbidden");
	});

	it("a key with a custom role gets exactly the role's permissions", async () => {
		const { key: admin } = await newTenant();
		const role = await newRole(admin, "customer_clerk", ["customers:read", "customers:write"]);
		expect(role).toMatchObject({ object: "role", name: "customer_clerk", built_in: false });
		const clerk = await newKey(admin, "customer_clerk");

		const created = await api("/v1/billing/customers", { key: clerk.secret, body: { name: "Clerk Co" } });
		expect(created.status).toBe(201);
		expect((await api(`/v1/billing/customers/${created.body.id}`, { key: clerk.secret })).status).toBe(200);

		const note = await api(`/v1/billing/customers/${created.body.id}/notes`, {
			key: clerk.secret,
			body: { body: "hello" },
		});
		expect(expectProblemDocument(note, 403, "forbidden").required_permission).toBe("customer_notes:write");
		expect(
			expectProblemDocument(await api("/v1/billing/audit", { key: clerk.secret }), 403, "forbidden"),
		).toMatchObject({
			required_permission: "audit:read",
		});
		expectProblemDocument(await api("/v1/billing/metrics", { key: clerk.secret }), 403, "forbidden");
	});

	it("refuses a key with a role that neither is built in nor belongs to the tenant", async () => {
		const { key: adminA } = await newTenant();
		const { key: adminB } = await newTenant();
		await newRole(adminA, "only_in_a", ["customers:read"]);
		const res = await api("/v1/billing/keys", { key: adminB, body: { name: "k", role: "only_in_a" } });
		expect(fieldsOf(expectProblemDocument(res, 422, "validation_failed"))).toEqual(["body:role"]);
	});

	it("scopes narrow a role: an admin key scoped to customers:read can read but not write", async () => {
		const { key: admin } = await newTenant();
		const customer = await newCustomer(admin);
		const scoped = await newKey(admin, "billing_admin", ["customers:read"]);
		expect((await api(`/v1/billing/customers/${customer.id}`, { key: scoped.secret })).status).toBe(200);
		const write = await api("/v1/billing/customers", { key: scoped.secret, body: { name: "Scoped" } });
		expect(expectProblemDocument(write, 403, "forbidden").required_permission).toBe("customers:write");
		expectProblemDocument(await api("/v1/billing/keys", { key: scoped.secret }), 403, "forbidden");
	});

	it("scopes cannot widen a role: a reader scoped to customers:write still cannot write", async () => {
		const { key: admin } = await newTenant();
		const odd = await newKey(admin, "billing_reader", ["customers:write", "customers:read"]);
		expect((await api("/v1/billing/customers", { key: odd.secret })).status).toBe(200);
		expectProblemDocument(
			await api("/v1/billing/customers", { key: odd.secret, body: { name: "Widened?" } }),
			403,
			"forbidden",
		);
	});

	it("a key cannot create a key with permissions beyond its own (no escalation)", async () => {
		const { key: admin } = await newTenant();
		await newRole(admin, "key_manager", ["keys:read", "keys:write", "customers:read"]);
		const manager = await newKey(admin, "key_manager");

		const toAdmin = await api("/v1/billing/keys", { key: manager.secret, body: { name: "up", role: "billing_admin" } });
		const problem = expectProblemDocument(toAdmin, 403, "forbidden");
		expect(problem.missing_permissions).toEqual(expect.arrayContaining(["customers:write", "invoices:write"]));
		// Only what the creator lacks is listed.
		for (const held of ["keys:read", "keys:write", "customers:read"])
			expect(problem.missing_permissions).not.toContain(held);

		// billing_reader holds reads the manager lacks (invoices:read, …).
		expectProblemDocument(
			await api("/v1/billing/keys", { key: manager.secret, body: { name: "r", role: "billing_reader" } }),
			403,
			"forbidden",
		);

		// Its own role, or any role narrowed by scopes to what it holds, is allowed.
		const same = await api("/v1/billing/keys", { key: manager.secret, body: { name: "peer", role: "key_manager" } });
		expect(same.status).toBe(201);
		const narrowed = await api("/v1/billing/keys", {
			key: manager.secret,
			body: { name: "narrow", role: "billing_admin", scopes: ["customers:read"] },
		});
		expect(narrowed.status).toBe(201);
		expect(narrowed.body.created_by).toBe(manager.id);
		expectProblemDocument(
			await api("/v1/billing/customers", { key: narrowed.body.secret, body: { name: "X" } }),
			403,
			"forbidden",
		);

		// Nothing beyond the two allowed keys was created.
		const keys = await api("/v1/billing/keys", { key: admin });
		expect(keys.body.data.map((k: { name: string }) => k.name).sort()).toEqual(
			["Initial admin key", "key_manager key", "narrow", "peer"].sort(),
		);
	});
});

describe("tenant isolation", () => {
	it("accepts X-Tenant-ID that matches the key and refuses one that does not (403)", async () => {
		const a = await newTenant();
		const b = await newTenant();
		const ok = await api("/v1/billing/customers", { key: a.key, headers: { "X-Tenant-ID": a.tenantId } });
		expect(ok.status).toBe(200);
		const res = await api("/v1/billing/customers", { key: a.key, headers: { "X-Tenant-ID": b.tenantId } });
		expectProblemDocument(res, 403, "forbidden");
		// A mismatch on a write creates nothing.
		const write = await api("/v1/billing/customers", {
			key: a.key,
			body: { name: "Wrong tenant" },
			headers: { "X-Tenant-ID": b.tenantId },
		});
		expectProblemDocument(write, 403, "forbidden");
		expect((await api("/v1/billing/customers", { key: a.key })).body.data).toEqual([]);
		expect((await api("/v1/billing/customers", { key: b.key })).body.data).toEqual([]);
	});

	it("answers 404 for another tenant's customer on every route, and leaves it untouched", async () => {
		const a = await newTenant();
		const b = await newTenant();
		const customer = await newCustomer(a.key, { name: "Tenant A only" });
		const path = `/v1/billing/customers/${customer.id}`;

		const attempts = [
			await api(path, { key: b.key }),
			await api(path, { key: b.key, method: "PATCH", body: { name: "Hijacked" } }),
			await api(path, { key: b.key, method: "PATCH", body: { name: "Hijacked" }, headers: { "If-Match": '"1"' } }),
			await api(path, { key: b.key, method: "DELETE" }),
			await api(`${path}?hard=true`, { key: b.key, method: "DELETE" }),
			await api(`${path}/notes`, { key: b.key, body: { body: "sneaky" } }),
			await api(`${path}/notes`, { key: b.key }),
		];
		for (const res of attempts) {
			const problem = expectProblemDocument(res, 404, "not_found");
			expect(problem.id).toBe(customer.id);
		}

		const after = await api(path, { key: a.key });
		expect(after.body).toMatchObject(customer);
		expect((await api(`${path}/notes`, { key: a.key })).body.data).toEqual([]);
		expect((await api("/v1/billing/customers?status=all", { key: b.key })).body.data).toEqual([]);
	});

	it("answers 404 for another tenant's API key on revoke, and the key keeps working", async () => {
		const a = await newTenant();
		const b = await newTenant();
		const readerA = await newKey(a.key, "billing_reader");
		expectProblemDocument(
			await api(`/v1/billing/keys/${readerA.id}`, { method: "DELETE", key: b.key }),
			404,
			"not_found",
		);
		expect((await api("/v1/billing/customers", { key: readerA.secret })).status).toBe(200);
	});
});

describe("operator routes", () => {
	it("onboards a tenant with the operator token, returning its first billing_admin key once", async () => {
		const res = await api("/v1/admin/tenants", {
			key: adminToken(),
			body: { name: "  Operator-made  ", default_currency: "GBP" },
		});
		expect(res.status).toBe(201);
		expect(res.body.tenant).toMatchObject({ object: "tenant", name: "Operator-made", default_currency: "GBP" });
		expect(res.body.tenant.id).toMatch(/^ten_[0-9A-HJKMNP-TV-Z]{26}$/);
		expect(res.body.api_key).toMatchObject({ object: "api_key", role: "billing_admin", created_by: "operator" });
		expect(res.body.api_key.secret).toMatch(/^sk_[0-9A-Za-z]{40}$/);
		expect(res.body.api_key.secret.startsWith(res.body.api_key.prefix)).toBe(true);

		const customer = await newCustomer(res.body.api_key.secret);
		expect(customer.currency).toBe("GBP");

		const keys = await api("/v1/billing/keys", { key: res.body.api_key.secret });
		expect(keys.body.data).toHaveLength(1);
		expect(keys.body.data[0]).not.toHaveProperty("secret");
		expect(keys.body.data[0]).not.toHaveProperty("secret_hash");
	});

	it("refuses a tenant API key on an operator route with 403", async () => {
		const { key } = await newTenant();
		const res = await api("/v1/admin/tenants", { key, body: { name: "Sneaky", default_currency: "EUR" } });
		expectProblemDocument(res, 403, "forbidden", "/v1/admin/tenants");
	});

	it("refuses an operator route without a credential with 401", async () => {
		const res = await api("/v1/admin/tenants", { body: { name: "Anon", default_currency: "EUR" } });
		expectProblemDocument(res, 401, "unauthenticated", "/v1/admin/tenants");
		expect(res.headers.get("www-authenticate")).toBe(BEARER_CHALLENGE);
	});

	it("refuses the operator token on a tenant route with 403", async () => {
		await newTenant();
		const res = await api("/v1/billing/customers", { key: adminToken() });
		expectProblemDocument(res, 403, "forbidden");
	});

	it("validates tenant creation", async () => {
		const res = await api("/v1/admin/tenants", {
			key: adminToken(),
			body: { name: "", default_currency: "eur", extra: 1 },
		});
		const fields = fieldsOf(expectProblemDocument(res, 422, "validation_failed"));
		expect(new Set(fields)).toEqual(new Set(["body:default_currency", "body:extra", "body:name"]));
	});
});

describe("custom roles", () => {
	it("cannot be named after a built-in role, must have a valid name and known permissions", async () => {
		const { key } = await newTenant();
		const builtIn = await api("/v1/billing/roles", {
			key,
			body: { name: "billing_admin", permissions: ["customers:read"] },
		});
		expect(expectProblemDocument(builtIn, 422, "validation_failed").errors).toEqual([
			{ location: "body", field: "name", message: "is the name of a built-in role" },
		]);
		const badName = await api("/v1/billing/roles", {
			key,
			body: { name: "Bad Name", permissions: ["customers:read"] },
		});
		expect(fieldsOf(expectProblemDocument(badName, 422, "validation_failed"))).toEqual(["body:name"]);
		const badPermission = await api("/v1/billing/roles", {
			key,
			body: { name: "weird", permissions: ["customers:read", "customers:destroy"] },
		});
		expect(fieldsOf(expectProblemDocument(badPermission, 422, "validation_failed"))).toEqual(["body:permissions.1"]);
		const empty = await api("/v1/billing/roles", { key, body: { name: "empty", permissions: [] } });
		expect(fieldsOf(expectProblemDocument(empty, 422, "validation_failed"))).toEqual(["body:permissions"]);
	});

	it("answers 409 conflict for a duplicate name within a tenant, but the name is free in another tenant", async () => {
		const a = await newTenant();
		const b = await newTenant();
		await newRole(a.key, "auditor", ["audit:read"]);
		const dup = await api("/v1/billing/roles", { key: a.key, body: { name: "auditor", permissions: ["audit:read"] } });
		expectProblemDocument(dup, 409, "conflict");
		expect((await newRole(b.key, "auditor", ["audit:read"])).name).toBe("auditor");
	});

	it("roles:write is needed to create a role", async () => {
		const { key: admin } = await newTenant();
		const reader = await newKey(admin, "billing_reader");
		const res = await api("/v1/billing/roles", {
			key: reader.secret,
			body: { name: "x_role", permissions: ["audit:read"] },
		});
		expect(expectProblemDocument(res, 403, "forbidden").required_permission).toBe("roles:write");
	});
});

describe("audit of credentials", () => {
	it("records key creation and revocation with the acting key", async () => {
		const { key: admin, keyId } = await newTenantWithKeyId();
		const reader = await newKey(admin, "billing_reader");
		await api(`/v1/billing/keys/${reader.id}`, { method: "DELETE", key: admin });
		const audit = await api(`/v1/billing/audit?target_id=${reader.id}&order=asc`, { key: admin });
		expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(["api_key.created", "api_key.revoked"]);
		for (const entry of audit.body.data) expect(entry.actor_id).toBe(keyId);
		// Secrets never reach the audit trail.
		expect(JSON.stringify(audit.body)).not.toContain(reader.secret);
		expect(audit.body.data[0].after).not.toHaveProperty("secret");
	});
});
