import { afterEach, describe, expect, it, vi } from "vitest";
import { type ApiResponse, api, expectProblemDocument, newKey, newTenant } from "../helpers/api";

// The RATE_LIMITER binding (wrangler.toml) allows 600 requests per 60-second window per key. Miniflare's
// local limiter enforces it in fixed windows aligned to Date.now(); sending 620 requests takes several
// seconds, so a window boundary could fall in the middle and reset the count. Pinning Date (and only
// Date: timers and I/O run normally) keeps every request in one window, so the counts are exact.
const LIMIT = 600;
const BATCH = 50;

afterEach(() => {
	vi.useRealTimers();
});

function pinClock(at: number) {
	vi.useFakeTimers({ toFake: ["Date"] });
	vi.setSystemTime(at);
}

async function burst(secret: string, total: number): Promise<ApiResponse[]> {
	const responses: ApiResponse[] = [];
	for (let sent = 0; sent < total; sent += BATCH) {
		const size = Math.min(BATCH, total - sent);
		responses.push(
			...(await Promise.all(Array.from({ length: size }, () => api("/v1/billing/roles", { key: secret })))),
		);
	}
	return responses;
}

describe("rate limit", () => {
	it("answers 429 rate_limited with Retry-After once a key exceeds 600 requests a minute", {
		timeout: 120_000,
	}, async () => {
		const { key: admin } = await newTenant();
		const busy = await newKey(admin, "billing_reader");
		const quiet = await newKey(admin, "billing_reader");
		const start = Date.now();
		pinClock(start);

		const responses = await burst(busy.secret, LIMIT + 20);
		const ok = responses.filter((r) => r.status === 200);
		const limited = responses.filter((r) => r.status === 429);
		expect(ok.length + limited.length).toBe(responses.length);
		expect(ok).toHaveLength(LIMIT);
		expect(limited).toHaveLength(20);

		for (const res of limited) {
			const problem = expectProblemDocument(res, 429, "rate_limited", "/v1/billing/roles");
			expect(res.headers.get("retry-after")).toBe("60");
			expect(problem.limit_per_minute).toBe(600);
		}

		// The limit is per key: another key of the same tenant is unaffected.
		expect((await api("/v1/billing/roles", { key: quiet.secret })).status).toBe(200);
		// Routes that need no credential are not limited.
		expect((await api("/v1/billing/health")).status).toBe(200);
		// Still over the limit within the window, on any route.
		expectProblemDocument(await api("/v1/billing/customers", { key: busy.secret }), 429, "rate_limited");

		// A minute later the window has reset.
		vi.setSystemTime(start + 60_000);
		expect((await api("/v1/billing/roles", { key: busy.secret })).status).toBe(200);
	});

	it("checks the credential before the limit: an unknown key gets 401, not 429", async () => {
		await newTenant();
		const res = await api("/v1/billing/roles", { key: "sk_not_a_real_key_at_all_000000000000000000" });
		expectProblemDocument(res, 401, "unauthenticated");
		expect(res.headers.get("retry-after")).toBe(null);
	});
});
