import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";

/** Calls the Worker's fetch handler directly with some deployment variables replaced. */
async function fetchWith(overrides: Record<string, string>, path: string, init: RequestInit = {}) {
	const ctx = createExecutionContext();
	const response = await worker.fetch(
		new Request(`https://billing.test${path}`, init) as Request<unknown, IncomingRequestCfProperties>,
		{ ...env, ...overrides },
		ctx,
	);
	await waitOnExecutionContext(ctx);
	return { status: response.status, headers: response.headers, text: await response.text() };
}

afterEach(() => vi.restoreAllMocks());

describe("a misconfigured deployment", () => {
	it("answers health 503 naming the setting, never its value, and logs the error once", async () => {
		const logged = vi.spyOn(console, "error").mockImplementation(() => {});
		const overrides = { ADMIN_TOKEN: "short-secret" };
		const first = await fetchWith(overrides, "/v1/billing/health");
		const second = await fetchWith({ ...overrides }, "/v1/billing/health");

		for (const res of [first, second]) {
			expect(res.status).toBe(503);
			expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
			expect(res.text).not.toContain("short-secret");
			const problem = JSON.parse(res.text);
			expect(problem).toMatchObject({ code: "service_unavailable", setting: "ADMIN_TOKEN" });
			expect(problem.detail).toContain("ADMIN_TOKEN");
			expect(res.headers.get("x-request-id")).toBe(problem.request_id);
		}
		const configLines = logged.mock.calls
			.map(([line]) => String(line))
			.filter((l) => l.includes("configuration error"));
		expect(configLines).toHaveLength(1);
		expect(JSON.parse(configLines[0] as string)).toMatchObject({ level: "error", setting: "ADMIN_TOKEN" });
		expect(configLines[0]).not.toContain("short-secret");
	});

	it("answers every other route 503 with a problem naming the setting", async () => {
		vi.spyOn(console, "error").mockImplementation(() => {});
		const res = await fetchWith({ MAX_BODY_BYTES: "lots" }, "/v1/billing/customers", {
			method: "POST",
			headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" },
			body: JSON.stringify({ name: "Acme" }),
		});
		expect(res.status).toBe(503);
		expect(JSON.parse(res.text)).toMatchObject({ code: "service_unavailable", setting: "MAX_BODY_BYTES" });
		expect(res.text).not.toContain("lots");
	});

	it("serves normally once the variables parse", async () => {
		const res = await fetchWith({}, "/v1/billing/health");
		expect(res.status).toBe(200);
	});
});
