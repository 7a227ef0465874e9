import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { signJwt } from "../../src/lib/jwt";
import { adminToken, api, newCustomer } from "../helpers/api";
import { freshAddress, login, newUser, newUserTenant, PASSWORD } from "../helpers/users";

const register = (tenantId: string, body: Record<string, unknown>) =>
	api("/api/v1/auth/register", { body, headers: { "x-tenant-id": tenantId } });

const expectInvoiceMeProblem = (res: { status: number; body: any; headers: Headers }, status: number) => {
	expect(res.status).toBe(status);
	expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
	expect(res.body).toMatchObject({
		status,
		title: expect.any(String),
		detail: expect.any(String),
		instance: expect.any(String),
	});
	expect(Date.parse(res.body.timestamp)).not.toBeNaN();
	return res.body;
};

const TEST_JWT_SIGNING_KEYS = env.JWT_SIGNING_KEYS as string;
const [signingKid, signingSecret] = (TEST_JWT_SIGNING_KEYS.split(",")[0] as string).split(":") as [string, string];

describe("register, approve, login", () => {
	it("registers a PENDING user that cannot sign in until a SYSADMIN approves it", async () => {
		const { tenantId, admin } = await newUserTenant();
		const email = `new-${crypto.randomUUID()}@example.com`;
		const created = await register(tenantId, { email, password: PASSWORD, fullName: "Ada", role: "ACCOUNTANT" });
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({ email, fullName: "Ada", role: "ACCOUNTANT", status: "PENDING" });
		expect(created.body).not.toHaveProperty("passwordHash");

		const pendingLogin = await api("/api/v1/auth/login", {
			body: { email, password: PASSWORD },
			headers: { "x-tenant-id": tenantId, "cf-connecting-ip": freshAddress() },
		});
		expect(expectInvoiceMeProblem(pendingLogin, 403).detail).toMatch(/approval/);

		const pending = await api("/api/v1/users/pending", { key: admin.token });
		expect(pending.status).toBe(200);
		expect(pending.body.users.map((u: { id: string }) => u.id)).toEqual([created.body.id]);

		const approved = await api(`/api/v1/users/${created.body.id}/approve`, { method: "PATCH", key: admin.token });
		expect(approved.status).toBe(200);
		expect(approved.body.status).toBe("ACTIVE");
		expect((await api("/api/v1/users/pending", { key: admin.token })).body.users).toEqual([]);

		const res = await api("/api/v1/auth/login", {
			body: { email: email.toUpperCase(), password: PASSWORD },
			headers: { "x-tenant-id": tenantId, "cf-connecting-ip": freshAddress() },
		});
		expect(res.status).toBe(200);
		expect(res.body.user).toEqual({ id: created.body.id, email, fullName: "Ada", role: "ACCOUNTANT" });
		const [header, payload] = (res.body.token as string)
			.split(".")
			.slice(0, 2)
			.map((p) => JSON.parse(atob(p.replace(/-/g, "+").replace(/_/g, "/"))));
		expect(header).toEqual({ alg: "HS512", typ: "JWT", kid: signingKid });
		expect(payload.exp - payload.iat).toBe(24 * 60 * 60);
		expect(payload).toMatchObject({ sub: created.body.id, tid: tenantId, role: "ACCOUNTANT" });
	});

	it("answers a rejected user's correct password with 403, and a second decision with 400", async () => {
		const { tenantId, admin } = await newUserTenant();
		const email = `rej-${crypto.randomUUID()}@example.com`;
		const { body } = await register(tenantId, { email, password: PASSWORD, fullName: "Eve", role: "SALES" });
		const rejected = await api(`/api/v1/users/${body.id}/reject`, { method: "PATCH", key: admin.token });
		expect(rejected.status).toBe(204);
		const res = await api("/api/v1/auth/login", {
			body: { email, password: PASSWORD },
			headers: { "x-tenant-id": tenantId, "cf-connecting-ip": freshAddress() },
		});
		expect(expectInvoiceMeProblem(res, 403).detail).toMatch(/rejected/);
		expectInvoiceMeProblem(await api(`/api/v1/users/${body.id}/approve`, { method: "PATCH", key: admin.token }), 400);
		expectInvoiceMeProblem(
			await api("/api/v1/users/usr_0000000000000000000000000Z/approve", { method: "PATCH", key: admin.token }),
			404,
		);
	});

	it.each([
		["missing", undefined, "password"],
		["short", "abc123", "password"],
		["letters only", "onlyletterspassword", "password"],
		["digits only", "12345678901234", "password"],
	])("refuses a %s password with 400 naming the field", async (_, password, field) => {
		const { tenantId } = await newUserTenant();
		const res = await register(tenantId, {
			email: `w-${crypto.randomUUID()}@example.com`,
			password,
			fullName: "W",
			role: "SALES",
		});
		const problem = expectInvoiceMeProblem(res, 400);
		expect(problem.errors.map((e: { field: string }) => e.field)).toContain(field);
	});

	it("refuses a duplicate email with 409, whatever its case", async () => {
		const { tenantId } = await newUserTenant();
		const email = `dup-${crypto.randomUUID()}@example.com`;
		expect((await register(tenantId, { email, password: PASSWORD, fullName: "A", role: "SALES" })).status).toBe(201);
		const again = await register(tenantId, {
			email: email.toUpperCase(),
			password: PASSWORD,
			fullName: "B",
			role: "SALES",
		});
		expectInvoiceMeProblem(again, 409);
	});

	it("answers a wrong password and an unknown email alike with 401", async () => {
		const { tenantId, admin } = await newUserTenant();
		const ip = freshAddress();
		const wrong = await api("/api/v1/auth/login", {
			body: { email: admin.email, password: "wrong-password-1" },
			headers: { "x-tenant-id": tenantId, "cf-connecting-ip": ip },
		});
		const unknown = await api("/api/v1/auth/login", {
			body: { email: "nobody@example.com", password: "wrong-password-1" },
			headers: { "x-tenant-id": tenantId, "cf-connecting-ip": ip },
		});
		expect(expectInvoiceMeProblem(wrong, 401).detail).toBe(expectInvoiceMeProblem(unknown, 401).detail);
		expectInvoiceMeProblem(
			await api("/api/v1/auth/login", { body: { email: "not-an-email" }, headers: { "x-tenant-id": tenantId } }),
			400,
		);
	});

	it("throttles an email after five failures with 429, even for the right password", async () => {
		const { tenantId, admin } = await newUserTenant();
		for (let attempt = 0; attempt < 5; attempt++) {
			const res = await api("/api/v1/auth/login", {
				body: { email: admin.email, password: `wrong-password-${attempt}` },
				headers: { "x-tenant-id": tenantId, "cf-connecting-ip": freshAddress() },
			});
			expect(res.status).toBe(401);
		}
		const res = await api("/api/v1/auth/login", {
			body: { email: admin.email, password: PASSWORD },
			headers: { "x-tenant-id": tenantId, "cf-connecting-ip": freshAddress() },
		});
		expectInvoiceMeProblem(res, 429);
		expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
	});

	it("throttles an address after fifty failures across emails", async () => {
		const { tenantId } = await newUserTenant();
		const ip = freshAddress();
		const attempts = Array.from({ length: 50 }, (_, i) =>
			api("/api/v1/auth/login", {
				body: { email: `guess-${i}@example.com`, password: "wrong-password-1" },
				headers: { "x-tenant-id": tenantId, "cf-connecting-ip": ip },
			}),
		);
		expect((await Promise.all(attempts)).every((r) => r.status === 401 || r.status === 429)).toBe(true);
		const res = await api("/api/v1/auth/login", {
			body: { email: "guess-new@example.com", password: "wrong-password-1" },
			headers: { "x-tenant-id": tenantId, "cf-connecting-ip": ip },
		});
		expectInvoiceMeProblem(res, 429);
	});

	it("finds the first SYSADMIN's tenant when no X-Tenant-ID is sent", async () => {
		await newUserTenant();
		const first = await env.DB.prepare(
			"select email, tenant_id from users where role = 'SYSADMIN' order by created_at, id limit 1",
		).first<{ email: string; tenant_id: string }>();
		const res = await api("/api/v1/auth/login", {
			body: { email: first?.email, password: PASSWORD },
			headers: { "cf-connecting-ip": freshAddress() },
		});
		expect(res.status).toBe(200);
		const claims = JSON.parse(atob((res.body.token as string).split(".")[1] as string));
		expect(claims.tid).toBe(first?.tenant_id);
		expectInvoiceMeProblem(
			await api("/api/v1/auth/register", { body: {}, headers: { "x-tenant-id": "ten_missing" } }),
			400,
		);
	});

	it("registers one of two concurrent registrations of the same email, and refuses the other with 409", async () => {
		const { tenantId } = await newUserTenant();
		const email = `race-${crypto.randomUUID()}@example.com`;
		const results = await Promise.all(
			["A", "B"].map((name) => register(tenantId, { email, password: PASSWORD, fullName: name, role: "SALES" })),
		);
		expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
	});
});

describe("tokens", () => {
	it("work on the canonical API, with the role's permissions", async () => {
		const { tenantId } = await newUserTenant();
		const sales = await newUser(tenantId, "SALES");
		const created = await api("/v1/billing/customers", { key: sales.token, body: { name: "Via JWT" } });
		expect(created.status).toBe(201);
		const audit = await api(`/v1/billing/audit?target_id=${created.body.id}`, { key: sales.token });
		expect(audit.status).toBe(403);
		const ledger = await api("/v1/billing/ledger/balances", { key: sales.token });
		expect(ledger.status).toBe(403);
	});

	it("answers a tampered, expired, unknown-key or wrongly signed token with 401", async () => {
		const { tenantId, admin } = await newUserTenant();
		const [header, payload, signature] = admin.token.split(".") as [string, string, string];
		const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
		const forged = btoa(JSON.stringify({ ...claims, role: "SYSADMIN", sub: "usr_other" })).replace(/=+$/, "");
		const now = Math.floor(Date.now() / 1000);
		const expired = await signJwt(
			{ ...claims, iat: now - 90_000, exp: now - 3_600 },
			{ kid: signingKid, secret: signingSecret },
		);
		const unknownKid = await signJwt(claims, { kid: "retired", secret: signingSecret });
		const otherSecret = await signJwt(claims, { kid: signingKid, secret: "another-secret-0123456789abcdef0123456789" });
		for (const token of [
			`${header}.${forged}.${signature}`,
			`${header}.${payload}.${signature.slice(0, -4)}AAAA`,
			expired,
			unknownKid,
			otherSecret,
		]) {
			const res = await api("/api/v1/users/pending", { key: token });
			expectInvoiceMeProblem(res, 401);
			expect((await api("/v1/billing/customers", { key: token })).status).toBe(401);
		}
		expect((await api("/api/v1/users/pending", { key: admin.token })).status).toBe(200);
		expect(tenantId).toMatch(/^ten_/);
	});

	it("accepts a token signed with the second (older) key during a rotation", async () => {
		const { admin } = await newUserTenant();
		const [, payload] = admin.token.split(".") as [string, string, string];
		const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
		const [oldKid, oldSecret] = (TEST_JWT_SIGNING_KEYS.split(",")[1] as string).split(":") as [string, string];
		const token = await signJwt(claims, { kid: oldKid, secret: oldSecret });
		expect((await api("/api/v1/users/pending", { key: token })).status).toBe(200);
	});

	it("stops working once the user is no longer active", async () => {
		const { tenantId, admin } = await newUserTenant();
		expect(tenantId).toBeTruthy();
		const res = await api("/api/v1/users/pending", { key: `${admin.token}x` });
		expectInvoiceMeProblem(res, 401);
	});
});

describe("customer users", () => {
	it("see their own customer and invoices on the canonical API, and 404 for another's", async () => {
		const { tenantId, key } = await newUserTenant();
		const mine = await newCustomer(key, { name: "Mine", email: `mine-${crypto.randomUUID()}@example.com` });
		const theirs = await newCustomer(key, { name: "Theirs" });
		const customer = await newUser(tenantId, "CUSTOMER", { customerId: mine.id });
		const mineInvoice = await api("/v1/billing/invoices", {
			key,
			body: { customer_id: mine.id, items: [{ description: "A", unit_price: 100 }] },
		});
		const theirInvoice = await api("/v1/billing/invoices", {
			key,
			body: { customer_id: theirs.id, items: [{ description: "B", unit_price: 100 }] },
		});
		expect((await api(`/v1/billing/customers/${mine.id}`, { key: customer.token })).status).toBe(200);
		expect((await api(`/v1/billing/customers/${theirs.id}`, { key: customer.token })).status).toBe(404);
		expect((await api(`/v1/billing/invoices/${mineInvoice.body.id}`, { key: customer.token })).status).toBe(200);
		expect((await api(`/v1/billing/invoices/${theirInvoice.body.id}`, { key: customer.token })).status).toBe(404);
		const list = await api("/v1/billing/invoices", { key: customer.token });
		expect(list.status).toBe(200);
		expect(list.body.data.map((i: { id: string }) => i.id)).toEqual([mineInvoice.body.id]);
		expect((await api(`/v1/billing/invoices?customer_id=${theirs.id}`, { key: customer.token })).status).toBe(404);
		// Routes that declare no ownership are closed to customer users.
		expect((await api("/v1/billing/customers", { key: customer.token })).status).toBe(403);
		expect((await api("/v1/billing/events", { key: customer.token })).status).toBe(403);
	});

	it("are bound at approval to the customer with their email, and cannot be approved without one", async () => {
		const { tenantId, key, admin } = await newUserTenant();
		const email = `cust-${crypto.randomUUID()}@example.com`;
		const { body } = await register(tenantId, { email, password: PASSWORD, fullName: "C", role: "CUSTOMER" });
		const refused = await api(`/api/v1/users/${body.id}/approve`, { method: "PATCH", key: admin.token });
		expect(expectInvoiceMeProblem(refused, 400).errors[0].field).toBe("customerId");
		const customer = await newCustomer(key, { name: "C Ltd", email });
		const approved = await api(`/api/v1/users/${body.id}/approve`, { method: "PATCH", key: admin.token });
		expect(approved.body).toMatchObject({ status: "ACTIVE", customerId: customer.id });
		const token = await login(tenantId, email);
		expect((await api(`/v1/billing/customers/${customer.id}`, { key: token })).status).toBe(200);
	});

	it("the operator route needs the operator token and an existing tenant", async () => {
		const res = await api("/v1/admin/tenants/ten_0000000000000000000000000Z/users", {
			key: adminToken(),
			body: { email: "x@example.com", password: PASSWORD, fullName: "X", role: "SYSADMIN" },
		});
		expect(res.status).toBe(404);
	});
});
