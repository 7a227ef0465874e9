import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../src/index";

export type ApiResponse<T = any> = { status: number; headers: Headers; body: T; text: string };

type RequestOptions = {
	method?: string;
	key?: string;
	body?: unknown;
	/** Sent as-is instead of JSON-encoding `body`. */
	rawBody?: string;
	headers?: Record<string, string>;
};

/**
 * Calls the Worker's fetch handler in this isolate, as a client on the network would, and waits for the
 * background work it started. Not through `SELF.fetch`: there each call costs more than the one before.
 */
export async function api<T = any>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
	const headers: Record<string, string> = { ...options.headers };
	if (options.key) headers.authorization = `Bearer ${options.key}`;
	let body: string | undefined = options.rawBody;
	if (options.body !== undefined) {
		body = JSON.stringify(options.body);
		headers["content-type"] ??= "application/json";
	}
	const ctx = createExecutionContext();
	const request = new Request(`https://billing.test${path}`, {
		method: options.method ?? (body === undefined ? "GET" : "POST"),
		headers,
		body,
	});
	const response = await worker.fetch(request, env, ctx);
	const text = await response.text();
	await waitOnExecutionContext(ctx);
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

/** Like `newTenant`, plus the id of its first billing_admin key (the `actor_id` of that key's audit rows). */
export async function newTenantWithKeyId(defaultCurrency = "EUR") {
	tenantCounter += 1;
	const res = await api("/v1/admin/tenants", {
		key: adminToken(),
		body: { name: `Tenant ${tenantCounter}`, default_currency: defaultCurrency },
	});
	if (res.status !== 201) throw new Error(`tenant creation failed: ${res.status} ${res.text}`);
	return {
		tenantId: res.body.tenant.id as string,
		key: res.body.api_key.secret as string,
		keyId: res.body.api_key.id as string,
	};
}

/** A custom role in the tenant that `adminKey` belongs to. */
export async function newRole(adminKey: string, name: string, permissions: string[]) {
	const res = await api("/v1/billing/roles", { key: adminKey, body: { name, permissions } });
	if (res.status !== 201) throw new Error(`role creation failed: ${res.status} ${res.text}`);
	return res.body;
}

/**
 * `expectProblem`, plus every member RFC 9457 and this API promise: type (resolving to /problems/<code>),
 * title, status, detail, instance (the request path), code and request_id (equal to X-Request-Id).
 */
export function expectProblemDocument(res: ApiResponse, status: number, code: string, instance?: string) {
	const problem = expectProblem(res, status, code);
	const failures: string[] = [];
	if (problem.type !== `/problems/${code}`) failures.push(`type ${problem.type}`);
	if (typeof problem.title !== "string" || problem.title.length === 0) failures.push("title missing");
	if (problem.status !== status) failures.push(`status member ${problem.status}`);
	if (typeof problem.detail !== "string" || problem.detail.length === 0) failures.push("detail missing");
	if (typeof problem.instance !== "string" || !problem.instance.startsWith("/")) failures.push("instance missing");
	if (instance !== undefined && problem.instance !== instance) failures.push(`instance ${problem.instance}`);
	if (typeof problem.request_id !== "string" || problem.request_id !== res.headers.get("x-request-id")) {
		failures.push(`request_id ${problem.request_id} vs X-Request-Id ${res.headers.get("x-request-id")}`);
	}
	if (failures.length > 0) throw new Error(`malformed problem document (${failures.join("; ")}): ${res.text}`);
	return problem;
}

/** The `errors[]` entries of a validation problem, as `location:field` strings, for compact assertions. */
export const fieldsOf = (problem: { errors?: { location: string; field: string }[] }) =>
	(problem.errors ?? []).map((e) => `${e.location}:${e.field}`);

/** Polls a job until it finishes (the local queue delivers within about a second). */
export async function waitForJob(key: string, id: string) {
	for (let attempt = 0; attempt < 200; attempt++) {
		const res = await api(`/v1/billing/jobs/${id}`, { key });
		if (res.body.finished_at) return res.body;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	throw new Error(`job ${id} did not finish`);
}
