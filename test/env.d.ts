import type { D1Migration } from "cloudflare:test";
import type { Env as AppEnv } from "../src/env";

declare global {
	namespace Cloudflare {
		interface Env extends AppEnv {
			TEST_MIGRATIONS: D1Migration[];
			/** wrangler.toml [assets]: the static files the platform serves in front of the Worker. */
			ASSETS: Fetcher;
			FUZZ_BUDGET: string;
			FUZZ_SEED: string;
			FUZZ_CONCURRENCY: string;
		}
	}
}

declare module "vitest" {
	export interface ProvidedContext {
		/** test/webhookReceiver.globalSetup.mjs: a loopback URL answering 204 to every request. */
		webhookReceiverUrl: string;
		/** The port of the fake HTTP email API on 127.0.0.1 (test/helpers/fakeEmailApi.mjs). */
		emailApiPort: number;
	}
}
