import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { copyDocsAssets } from "./scripts/docs-assets.mjs";

export const TEST_ADMIN_TOKEN = "test-admin-token-0123456789abcdef";

// Tests run inside workerd against the bindings declared in wrangler.toml: real D1, R2, Durable
// Objects and Queues, with every migration applied to a fresh database.
export default defineConfig(async () => {
	// wrangler.toml's [assets] directory must exist before the Worker starts.
	copyDocsAssets();
	const migrations = await readD1Migrations(path.resolve("migrations"));
	return {
		plugins: [
			cloudflareTest({
				wrangler: { configPath: "./wrangler.toml" },
				miniflare: {
					bindings: {
						TEST_MIGRATIONS: migrations,
						ENVIRONMENT: "test",
						ADMIN_TOKEN: TEST_ADMIN_TOKEN,
						LOG_LEVEL: "error",
						WEBHOOK_ALLOW_LOCALHOST: "true",
						// test/fuzz: how many requests, from which seed, how many at once. Measured on 2 shared cores:
						// 250 requests in 10 to 15 s when quiet, 1,000 in 306 s inside the full suite while other
						// suites ran, which then starved timing-bound tests. 600 in the suite; `npm run fuzz` sends
						// 100,000. One at a time: parallel requests measured slower in total.
						FUZZ_BUDGET: process.env.FUZZ_BUDGET ?? "600",
						FUZZ_SEED: process.env.FUZZ_SEED ?? "26",
						FUZZ_CONCURRENCY: process.env.FUZZ_CONCURRENCY ?? "1",
					},
				},
			}),
		],
		test: {
			include: ["test/**/*.test.ts"],
			// Integration tests send hundreds of requests; on a loaded 2-core machine 5 s is too tight.
			testTimeout: 30_000,
			setupFiles: ["./test/helpers/applyMigrations.ts"],
			globalSetup: ["./test/webhookReceiver.globalSetup.mjs"],
		},
	};
});
