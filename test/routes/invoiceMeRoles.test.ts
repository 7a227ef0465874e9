// Seed 004's role table, endpoint by endpoint: every role is allowed exactly where the seed lists it
// (403 elsewhere), and no endpoint but sign-in answers without a token (401). Allowed calls are sent
// with ids that do not exist or bodies that are invalid, so that nothing changes: what they answer
// (404, 400, or 200 for reads) shows they got past the role check.
import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../helpers/api";
import { newUser, newUserTenant } from "../helpers/users";

const ROLES = ["SYSADMIN", "ACCOUNTANT", "SALES", "CUSTOMER"] as const;
type Role = (typeof ROLES)[number];
const ALL = ROLES;
const STAFF = ["SYSADMIN", "ACCOUNTANT", "SALES"] as const;
const MANAGERS = ["SYSADMIN", "ACCOUNTANT"] as const;
const ADMIN = ["SYSADMIN"] as const;

type Fixtures = { ownCustomer: string; ownInvoice: string };
type Endpoint = {
	method: string;
	path: (f: Fixtures) => string;
	body?: (f: Fixtures) => unknown;
	roles: readonly Role[];
};

const TABLE: Endpoint[] = [
	{ method: "POST", path: () => "/api/v1/customers", body: () => ({}), roles: STAFF },
	{ method: "GET", path: (f) => `/api/v1/customers/${f.ownCustomer}`, roles: ALL },
	{ method: "GET", path: () => "/api/v1/customers", roles: STAFF },
	{ method: "PUT", path: () => "/api/v1/customers/cus_missing", body: () => ({}), roles: MANAGERS },
	{ method: "DELETE", path: () => "/api/v1/customers/cus_missing", roles: ADMIN },
	{ method: "POST", path: () => "/api/v1/invoices", body: () => ({}), roles: STAFF },
	{ method: "GET", path: (f) => `/api/v1/invoices/${f.ownInvoice}`, roles: ALL },
	{ method: "GET", path: () => "/api/v1/invoices", roles: ALL },
	{ method: "PUT", path: () => "/api/v1/invoices/inv_missing", body: () => ({}), roles: STAFF },
	{ method: "PATCH", path: () => "/api/v1/invoices/inv_missing/mark-as-sent", roles: STAFF },
	{ method: "DELETE", path: () => "/api/v1/invoices/inv_missing", roles: ADMIN },
	{
		method: "POST",
		path: () => "/api/v1/payments",
		body: (f) => ({ invoiceId: f.ownInvoice }),
		roles: ["SYSADMIN", "ACCOUNTANT", "CUSTOMER"],
	},
	{ method: "GET", path: () => "/api/v1/payments/pay_missing", roles: MANAGERS },
	{ method: "GET", path: () => "/api/v1/payments", roles: MANAGERS },
	{ method: "POST", path: () => "/api/v1/refunds", body: () => ({}), roles: MANAGERS },
	{ method: "GET", path: () => "/api/v1/dashboard/metrics", roles: MANAGERS },
	{ method: "GET", path: () => "/api/v1/dashboard/revenue-trend", roles: MANAGERS },
	{ method: "GET", path: () => "/api/v1/dashboard/invoice-status", roles: MANAGERS },
	{ method: "GET", path: () => "/api/v1/dashboard/aging-report", roles: MANAGERS },
	{ method: "GET", path: () => "/api/v1/users/pending", roles: ADMIN },
	{ method: "PATCH", path: () => "/api/v1/users/usr_missing/approve", roles: ADMIN },
	{ method: "PATCH", path: () => "/api/v1/users/usr_missing/reject", roles: ADMIN },
];

let fixtures: Fixtures;
const tokens = {} as Record<Role, string>;

beforeAll(async () => {
	const { tenantId, admin } = await newUserTenant();
	const customer = await api("/api/v1/customers", {
		key: admin.token,
		body: { companyName: "Own Ltd", email: `own-${crypto.randomUUID()}@example.com` },
	});
	const invoice = await api("/api/v1/invoices", {
		key: admin.token,
		body: { customerId: customer.body.id, lineItems: [{ description: "A", quantity: 1, unitPrice: "1.00" }] },
	});
	fixtures = { ownCustomer: customer.body.id, ownInvoice: invoice.body.id };
	tokens.SYSADMIN = admin.token;
	for (const role of ["ACCOUNTANT", "SALES"] as const) tokens[role] = (await newUser(tenantId, role)).token;
	tokens.CUSTOMER = (await newUser(tenantId, "CUSTOMER", { customerId: customer.body.id })).token;
});

describe("InvoiceMe role × endpoint", () => {
	const cases = TABLE.flatMap((endpoint) =>
		ROLES.map(
			(role) =>
				[`${endpoint.method} ${endpoint.path({ ownCustomer: "{id}", ownInvoice: "{id}" })}`, role, endpoint] as const,
		),
	);

	it.each(cases)("%s as %s", async (_, role, endpoint) => {
		const res = await api(endpoint.path(fixtures), {
			method: endpoint.method,
			key: tokens[role],
			body: endpoint.body?.(fixtures),
		});
		if (endpoint.roles.includes(role)) {
			expect([200, 400, 404], `${res.status} ${res.text}`).toContain(res.status);
		} else {
			expect(res.status, res.text).toBe(403);
			expect(res.body.timestamp).toEqual(expect.any(String));
		}
	});

	it.each(TABLE.map((e) => [`${e.method} ${e.path({ ownCustomer: "{id}", ownInvoice: "{id}" })}`, e] as const))(
		"%s without a token is 401",
		async (_, endpoint) => {
			const res = await api(endpoint.path(fixtures), { method: endpoint.method, body: endpoint.body?.(fixtures) });
			expect(res.status).toBe(401);
		},
	);
});
