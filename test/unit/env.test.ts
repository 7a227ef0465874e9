import { describe, expect, it } from "vitest";
import { type Env, logLevelOf } from "../../src/env";

const deployment = (vars: Partial<Env>) => ({ ENVIRONMENT: "production", ...vars }) as Env;

describe("logLevelOf", () => {
	it("is LOG_LEVEL, info when unset", () => {
		expect(logLevelOf(deployment({ LOG_LEVEL: "warn" }))).toBe("warn");
		expect(logLevelOf(deployment({}))).toBe("info");
	});

	it("is info while the configuration does not parse, so what is wrong gets logged", () => {
		expect(logLevelOf(deployment({ LOG_LEVEL: "error", ADMIN_TOKEN: "short" }))).toBe("info");
		expect(logLevelOf(deployment({ LOG_LEVEL: "loud" }))).toBe("info");
	});
});
