import { describe, expect, it } from "vitest";
import { openSecret, randomToken, sealSecret, secretsEqual, sha256Hex } from "../../src/lib/crypto";

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

describe("sealSecret / openSecret", () => {
	const key = btoa(String.fromCharCode(...new Uint8Array(32).map((_, i) => i)));
	const otherKey = btoa(String.fromCharCode(...new Uint8Array(32).fill(7)));

	it("round-trips, with a fresh nonce each time", async () => {
		const first = await sealSecret(key, "sk_live_provider", "ten_1/txp_1");
		const second = await sealSecret(key, "sk_live_provider", "ten_1/txp_1");
		expect(first).toMatch(/^v1\./);
		expect(first).not.toContain("sk_live_provider");
		expect(first).not.toBe(second);
		expect(await openSecret(key, first, "ten_1/txp_1")).toBe("sk_live_provider");
	});

	it("does not open under another key or another row's context", async () => {
		const sealed = await sealSecret(key, "secret", "ten_1/txp_1");
		await expect(openSecret(otherKey, sealed, "ten_1/txp_1")).rejects.toThrow();
		await expect(openSecret(key, sealed, "ten_2/txp_1")).rejects.toThrow();
	});

	it("refuses a key that is not 32 bytes of base64", async () => {
		await expect(sealSecret("c2hvcnQ=", "x", "c")).rejects.toThrow(/32 bytes/);
		await expect(sealSecret("%%%", "x", "c")).rejects.toThrow(/base64/);
	});
});
