import { env, SELF } from "cloudflare:test";

export type ApiResponse<T = any> = { status: number; headers: Headers; body: T; text: string };

type RequestOptions = {
	method?: string;
	key?: string;
	body?: unknown;
	/** Sent as-is instead of JSON-encoding `body`. */
	rawBody?: string;
	headers?: Record<string, string>;
};

/** Calls the Worker's own fetch handler, as a client on the network would. */
export async function api<T = any>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
	const headers: Record<string, string> = { ...options.headers };
	if (options.key) headers.authorization = `Bearer ${options.key}`;
	let body: string | undefined = options.rawBody;
	if (options.body !== undefined) {
		body = JSON.stringify(options.body);
		headers["content-type"] ??= "application/json";
	}
	const response = await SELF.fetch(`https://billing.test${path}`, {
		method: options.method ?? (body === undefined ? "GET" : "POST"),
		headers,
		body,
	});
	const text = await response.text();
	const contentType = response.headers.get("content-type") ?? "";
	const parsed = /application\/(?:[\w.-]+\+)?json/.test(contentType) && text ? JSON.parse(text) : text;
	return { status: response.status, headers: response.headers, body: parsed, text };
}

export const adminToken = () => env.ADMIN_TOKEN as string;

let tenantCounter = 0;

/** A fresh tenant with its first billing_admin key: storage is shared within a file, so every test makes its own. */
export async function newTenant(defaultCurrency = "EUR") {
	tenantCounter += 1;
	const res = await api("/v1/admin/tenants", {
		key: adminToken(),
		body: { name: `Tenant ${tenantCounter}`, default_currency: defaultCurrency },
	});
	if (res.status !== 201) throw new Error(`tenant creation failed: ${res.status} ${res.text}`);
	return { tenantId: res.body.tenant.id as string, key: res.body.api_key.secret as string };
}

/** A key with `role` (and optional scopes) in the tenant that `adminKey` belongs to. */
export async function newKey(adminKey: string, role: string, scopes?: string[]) {
	const res = await api("/v1/billing/keys", { key: adminKey, body: { name: `${role} key`, role, scopes } });
	if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${res.text}`);
	return { id: res.body.id as string, secret: res.body.secret as string };
}

export async function newCustomer(key: string, overrides: Record<string, unknown> = {}) {
	const res = await api("/v1/billing/customers", { key, body: { name: "Acme GmbH", ...overrides } });
	if (res.status !== 201) throw new Error(`customer creation failed: ${res.status} ${res.text}`);
	return res.body;
}

export function expectProblem(res: ApiResponse, status: number, code: string) {
	const problem = res.body;
	if (res.status !== status || problem?.code !== code) {
		throw new Error(`expected ${status} ${code}, got ${res.status} ${res.text}`);
	}
	if (!res.headers.get("content-type")?.startsWith("application/problem+json")) {
		throw new Error(`expected application/problem+json, got ${res.headers.get("content-type")}`);
	}
	return problem;
}
