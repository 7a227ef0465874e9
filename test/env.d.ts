import type { D1Migration } from "cloudflare:test";
import type { Env as AppEnv } from "../src/env";

declare global {
	namespace Cloudflare {
		interface Env extends AppEnv {
			TEST_MIGRATIONS: D1Migration[];
		}
	}
}

declare module "vitest" {
	export interface ProvidedContext {
		/** The port of the fake HTTP email API on 127.0.0.1 (test/helpers/fakeEmailApi.mjs). */
		emailApiPort: number;
	}
}
