import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api } from "../helpers/api";

describe("API docs", () => {
	it("serves /docs with Swagger UI's files from the Worker itself, nothing from another host", async () => {
		const page = await api("/docs");
		expect(page.status).toBe(200);
		expect(page.headers.get("content-type")).toMatch(/^text\/html/);
		expect(page.text).not.toMatch(/(src|href)="https?:/);
		const assets = [...page.text.matchAll(/(?:src|href)="(\/docs-assets\/[^"]+)"/g)].map((m) => m[1] as string);
		expect(assets.sort()).toEqual(["/docs-assets/swagger-ui-bundle.js", "/docs-assets/swagger-ui.css"]);
		// The platform answers these paths from the static assets before the Worker runs.
		for (const asset of assets) {
			const res = await env.ASSETS.fetch(`https://billing.test${asset}`);
			expect(res.status, asset).toBe(200);
			expect((await res.text()).length, asset).toBeGreaterThan(10_000);
		}
	});
});
