import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, randomToken, secretsEqual, sha256Hex } from "../../src/lib/crypto";

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

describe("encryptSecret", () => {
	it("round-trips, never twice the same, and refuses another key or altered text", async () => {
		const first = await encryptSecret("pm-token-123", "deployment secret");
		const second = await encryptSecret("pm-token-123", "deployment secret");
		expect(first).not.toBe(second);
		expect(first).not.toContain("pm-token-123");
		expect(await decryptSecret(first, "deployment secret")).toBe("pm-token-123");
		await expect(decryptSecret(first, "another secret")).rejects.toThrow();
		await expect(decryptSecret(`${first.slice(0, -4)}AAAA`, "deployment secret")).rejects.toThrow();
	});
});
