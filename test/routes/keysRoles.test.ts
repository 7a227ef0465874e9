import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { builtInRoles } from "../../src/domain/permissions";
import { api, expectProblemDocument, fieldsOf, newKey, newRole, newTenant, newTenantWithKeyId } from "../helpers/api";

describe("API keys", () => {
	it("creates a key whose secret is shown once and only its hash is stored", async () => {
		const { key: admin, keyId } = await newTenantWithKeyId();
		const res = await api("/v1/billing/keys", {
			key: admin,
			body: { name: "  ERP connector ", role: "billing_reader", scopes: ["customers:read", "invoices:read"] },
		});
		expect(res.status).toBe(201);
		expect(res.body).toEqual({
			id: expect.stringMatching(/^key_[0-9A-HJKMNP-TV-Z]{26}$/),
			object: "api_key",
			name: "ERP connector",
			prefix: res.body.secret.slice(0, 11),
			role: "billing_reader",
			scopes: ["customers:read", "invoices:read"],
			created_by: keyId,
			created_at: expect.any(String),
			expires_at: null,
			revoked_at: null,
			secret: expect.stringMatching(/^sk_[0-9A-Za-z]{40}$/),
		});

		const list = await api("/v1/billing/keys", { key: admin });
		const listed = list.body.data.find((k: { id: string }) => k.id === res.body.id);
		const { secret: _secret, ...withoutSecret } = res.body;
		expect(listed).toEqual(withoutSecret);
		expect(list.text).not.toContain(res.body.secret);

		const row = await env.DB.prepare("select * from api_keys where id = ?").bind(res.body.id).first();
		expect(JSON.stringify(row)).not.toContain(res.body.secret);
		expect(row?.secret_hash).toMatch(/^[0-9a-f]{64}$/);
	});

	it("issues distinct secrets", async () => {
		const { key: admin } = await newTenant();
		const secrets = new Set<string>();
		for (let i = 0; i < 5; i++) secrets.add((await newKey(admin, "billing_reader")).secret);
		expect(secrets.size).toBe(5);
	});

	it.each([
		["an empty name", { name: "", role: "billing_reader" }, ["body:name"]],
		["a missing role", { name: "k" }, ["body:role"]],
		["an unknown role", { name: "k", role: "superuser" }, ["body:role"]],
		["an unknown scope", { name: "k", role: "billing_reader", scopes: ["customers:fly"] }, ["body:scopes.0"]],
		["empty scopes", { name: "k", role: "billing_reader", scopes: [] }, ["body:scopes"]],
		["an unknown field", { name: "k", role: "billing_reader", secret: "sk_mine" }, ["body:secret"]],
	])("refuses a key with %s", async (_label, body, fields) => {
		const { key: admin } = await newTenant();
		const res = await api("/v1/billing/keys", { key: admin, body });
		expect(new Set(fieldsOf(expectProblemDocument(res, 422, "validation_failed")))).toEqual(new Set(fields));
		expect((await api("/v1/billing/keys", { key: admin })).body.data).toHaveLength(1);
	});

	it("revokes a key once; revoking again returns the same revocation", async () => {
		const { key: admin } = await newTenant();
		const reader = await newKey(admin, "billing_reader");
		const first = await api(`/v1/billing/keys/${reader.id}`, { method: "DELETE", key: admin });
		expect(first.status).toBe(200);
		expect(first.body).toMatchObject({ id: reader.id, object: "api_key", revoked_at: expect.any(String) });
		expect(first.body).not.toHaveProperty("secret");
		const again = await api(`/v1/billing/keys/${reader.id}`, { method: "DELETE", key: admin });
		expect(again.status).toBe(200);
		expect(again.body.revoked_at).toBe(first.body.revoked_at);
		const audit = await api(`/v1/billing/audit?target_id=${reader.id}&action=api_key.revoked`, { key: admin });
		expect(audit.body.data).toHaveLength(1);
		const listed = (await api("/v1/billing/keys", { key: admin })).body.data.find(
			(k: { id: string }) => k.id === reader.id,
		);
		expect(listed.revoked_at).toBe(first.body.revoked_at);
	});

	it("a key can revoke itself, and is refused from then on", async () => {
		const { key: admin } = await newTenant();
		const second = await newKey(admin, "billing_admin");
		expect((await api(`/v1/billing/keys/${second.id}`, { method: "DELETE", key: second.secret })).status).toBe(200);
		expectProblemDocument(await api("/v1/billing/keys", { key: second.secret }), 401, "unauthenticated");
	});

	it("answers 404 for an unknown key id and 422 for a malformed one", async () => {
		const { key: admin } = await newTenant();
		expectProblemDocument(
			await api("/v1/billing/keys/key_01J00000000000000000000000", { method: "DELETE", key: admin }),
			404,
			"not_found",
		);
		const malformed = await api("/v1/billing/keys/sk_whatever", { method: "DELETE", key: admin });
		expect(fieldsOf(expectProblemDocument(malformed, 422, "validation_failed"))).toEqual(["path:id"]);
	});

	it("needs keys:write to create or revoke and keys:read to list", async () => {
		const { key: admin } = await newTenant();
		const reader = await newKey(admin, "billing_reader");
		const agent = await newKey(admin, "collections_agent");
		const create = await api("/v1/billing/keys", { key: reader.secret, body: { name: "k", role: "billing_reader" } });
		expect(expectProblemDocument(create, 403, "forbidden").required_permission).toBe("keys:write");
		const revoke = await api(`/v1/billing/keys/${agent.id}`, { method: "DELETE", key: reader.secret });
		expectProblemDocument(revoke, 403, "forbidden");
		expect(expectProblemDocument(await api("/v1/billing/keys", { key: agent.secret }), 403, "forbidden")).toMatchObject(
			{
				required_permission: "keys:read",
			},
		);
		expect((await api("/v1/billing/customers", { key: agent.secret })).status).toBe(200);
	});
});

describe("roles", () => {
	it("lists the built-in roles first, then the tenant's own by name", async () => {
		const { key } = await newTenant();
		await newRole(key, "zeta_role", ["audit:read"]);
		await newRole(key, "alpha_role", ["customers:read"]);
		const res = await api("/v1/billing/roles", { key });
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ object: "list", has_more: false, next_cursor: null, limit: 5 });
		expect(res.body.data.map((r: { name: string }) => r.name)).toEqual([
			"billing_admin",
			"billing_reader",
			"collections_agent",
			"alpha_role",
			"zeta_role",
		]);
		for (const role of res.body.data.slice(0, 3)) {
			expect(role).toMatchObject({ id: null, object: "role", built_in: true, created_at: null });
			expect(role.permissions).toEqual([...builtInRoles[role.name as keyof typeof builtInRoles].permissions]);
		}
		expect(res.body.data[3]).toMatchObject({
			id: expect.stringMatching(/^role_[0-9A-HJKMNP-TV-Z]{26}$/),
			built_in: false,
			permissions: ["customers:read"],
			created_at: expect.any(String),
		});
	});

	it("shows one tenant's custom roles to no other tenant", async () => {
		const a = await newTenant();
		const b = await newTenant();
		await newRole(a.key, "only_a", ["customers:read"]);
		const names = (await api("/v1/billing/roles", { key: b.key })).body.data.map((r: { name: string }) => r.name);
		expect(names).not.toContain("only_a");
	});

	it("stores a role's permissions without duplicates and keeps its description", async () => {
		const { key } = await newTenant();
		const res = await api("/v1/billing/roles", {
			key,
			body: {
				name: "dup_role",
				description: "  For the night shift. ",
				permissions: ["customers:read", "customers:read", "audit:read"],
			},
		});
		expect(res.status).toBe(201);
		expect(res.body).toMatchObject({
			name: "dup_role",
			description: "For the night shift.",
			permissions: ["customers:read", "audit:read"],
		});
	});

	it("needs roles:read to list", async () => {
		const { key: admin } = await newTenant();
		const agent = await newKey(admin, "collections_agent");
		expect(
			expectProblemDocument(await api("/v1/billing/roles", { key: agent.secret }), 403, "forbidden"),
		).toMatchObject({
			required_permission: "roles:read",
		});
	});
});

describe("revocation races", () => {
	it("concurrent revokes of one key leave one revocation and one audit row", async () => {
		const { key } = await newTenant();
		const victim = await newKey(key, "billing_reader");
		const results = await Promise.all(
			Array.from({ length: 6 }, () => api(`/v1/billing/keys/${victim.id}`, { key, method: "DELETE" })),
		);
		expect(results.every((r) => r.status === 200)).toBe(true);
		expect(new Set(results.map((r) => r.body.revoked_at)).size).toBe(1);
		const audit = await api(`/v1/billing/audit?target_id=${victim.id}&action=api_key.revoked`, { key });
		expect(audit.body.data).toHaveLength(1);
	});
});
