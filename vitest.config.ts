import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { copyDocsAssets } from "./scripts/docs-assets.mjs";

export const TEST_ADMIN_TOKEN = "test-admin-token-0123456789abcdef";
/** Two signing keys: the first signs, both verify (as during a rotation). */
export const TEST_JWT_SIGNING_KEYS =
	"test-2:test-jwt-secret-two-0123456789abcdef0123456789,test-1:test-jwt-secret-one-0123456789abcdef0123456789";

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
						JWT_SIGNING_KEYS: TEST_JWT_SIGNING_KEYS,
						LOG_LEVEL: "error",
						WEBHOOK_ALLOW_LOCALHOST: "true",
						EMAIL_FROM: "billing@example.com",
						SECRETS_KEY: "dGVzdC1zZWNyZXRzLWtleS0wMTIzNDU2Nzg5YWJjZGU=",
						// test/fuzz: how many requests, from which seed, how many at once. Measured on 2 shared cores
						// with 4 at once: 355 to 360 requests a second inside the full suite (18,000 in 51 s), 105 to
						// 119 under a load average of 8 to 10 from other work (20,000 in 168 to 191 s). `npm run fuzz`
						// sends 100,000.
						FUZZ_BUDGET: process.env.FUZZ_BUDGET ?? "20000",
						FUZZ_SEED: process.env.FUZZ_SEED ?? "26",
						FUZZ_CONCURRENCY: process.env.FUZZ_CONCURRENCY ?? "4",
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
						setupFiles: [
							"./test/helpers/applyMigrations.ts",
							"./test/helpers/realTime.ts",
							"./test/helpers/answersMissing.ts",
						],
						globalSetup: [
							"./test/webhookReceiver.globalSetup.mjs",
							// A fake HTTP email API on loopback for the email transport's tests (its port is `inject`ed).
							"./test/helpers/fakeEmailApi.mjs",
							// A fake tax service the tax register adapter calls, on 127.0.0.1.
							"./test/fakes/taxService.ts",
							// A fake Peppol access point the e-invoice send adapter calls, on 127.0.0.1.
							"./test/fakes/peppolAccessPoint.ts",
							// A fake Twilio Messages API that dunning's SMS steps call, on 127.0.0.1.
							"./test/fakes/smsApi.ts",
						],
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
