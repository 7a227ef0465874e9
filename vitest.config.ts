import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export const TEST_ADMIN_TOKEN = "test-admin-token-0123456789abcdef";

// Tests run inside workerd against the bindings declared in wrangler.toml: real D1, R2, Durable
// Objects and Queues, with every migration applied to a fresh database.
export default defineConfig(async () => {
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
					},
				},
			}),
		],
		test: {
			// Integration tests send hundreds of requests; on a loaded 2-core machine 5 s is too tight.
			testTimeout: 30_000,
			projects: [
				{
					extends: true,
					test: {
						name: "workers",
						include: ["test/**/*.test.ts"],
						exclude: ["test/einvoice/**"],
						setupFiles: ["./test/helpers/applyMigrations.ts"],
					},
				},
				// E-invoice conformance runs in Node: it reads the official examples from disk and calls the
				// XSD validator (../shared/validators/en16931/validate.sh) as a child process.
				{
					test: {
						name: "einvoice",
						environment: "node",
						include: ["test/einvoice/**/*.test.ts"],
						// The first run may install xmllint and poppler-utils with apt.
						testTimeout: 300_000,
						hookTimeout: 300_000,
					},
				},
			],
		},
	};
});
