import { describe, expect, it } from "vitest";
import { randomToken, secretsEqual, sha256Hex } from "../../src/lib/crypto";

describe("sha256Hex", () => {
	it("matches the standard test vectors", async () => {
		expect(await sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
		expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	});
});

describe("randomToken", () => {
	it("is base62 of the requested length", () => {
		expect(randomToken()).toMatch(/^[0-9A-Za-z]{32}$/);
		expect(randomToken(40)).toMatch(/^[0-9A-Za-z]{40}$/);
		expect(randomToken(1)).toMatch(/^[0-9A-Za-z]$/);
	});

	it("does not repeat", () => {
		const tokens = new Set(Array.from({ length: 200 }, () => randomToken()));
		expect(tokens.size).toBe(200);
	});

	it("uses the whole alphabet", () => {
		expect(new Set(randomToken(5000)).size).toBe(62);
	});
});

describe("secretsEqual", () => {
	it("is true only for identical strings", () => {
		expect(secretsEqual("sk_abc", "sk_abc")).toBe(true);
		expect(secretsEqual("sk_abc", "sk_abd")).toBe(false);
		expect(secretsEqual("sk_abc", "sk_ab")).toBe(false);
		expect(secretsEqual("", "")).toBe(true);
		expect(secretsEqual("é", "e")).toBe(false);
	});
});
