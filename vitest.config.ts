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
						EMAIL_FROM: "billing@example.com",
						SECRETS_KEY: "test-secrets-key",
					},
				},
			}),
		],
		test: {
			include: ["test/**/*.test.ts"],
			// Integration tests send hundreds of requests; on a loaded 2-core machine 5 s is too tight.
			testTimeout: 30_000,
			setupFiles: ["./test/helpers/applyMigrations.ts"],
			// A fake HTTP email API on loopback for the email transport's tests (its port is `inject`ed).
			globalSetup: ["./test/helpers/fakeEmailApi.mjs"],
		},
	};
});
