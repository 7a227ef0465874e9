import { describe, expect, it } from "vitest";
import { parseSigningKeys, signJwt, verifyJwt } from "../../src/lib/jwt";
import { hashPassword, PBKDF2_ITERATIONS, UNMATCHABLE_HASH, verifyPassword } from "../../src/lib/password";

describe("password hashing", () => {
	it("hashes with PBKDF2-SHA-256 at 100,000 iterations and a fresh salt per hash", async () => {
		const first = await hashPassword("correct-horse-42");
		const second = await hashPassword("correct-horse-42");
		expect(first).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
		expect(PBKDF2_ITERATIONS).toBeGreaterThanOrEqual(100_000);
		expect(first).not.toBe(second);
		expect(await verifyPassword("correct-horse-42", first)).toBe(true);
		expect(await verifyPassword("correct-horse-42", second)).toBe(true);
		expect(await verifyPassword("correct-horse-43", first)).toBe(false);
		expect(await verifyPassword("", first)).toBe(false);
	});

	it("matches nothing against a malformed or unmatchable hash", async () => {
		for (const stored of [
			"",
			"plain",
			"md5$1$a$b",
			"pbkdf2-sha256$x$AAAA$AAAA",
			"pbkdf2-sha256$0$AAAA$AAAA",
			UNMATCHABLE_HASH,
		]) {
			expect(await verifyPassword("anything-1", stored)).toBe(false);
		}
	});
});

describe("JWT HS512", () => {
	const key = { kid: "k1", secret: "a-secret-of-at-least-thirty-two-chars!" };
	const now = 1_800_000_000;

	it("verifies what it signed until it expires, choosing the key by kid", async () => {
		const token = await signJwt({ sub: "usr_1", exp: now + 60 }, key);
		expect(await verifyJwt(token, [key], now)).toMatchObject({ sub: "usr_1" });
		expect(await verifyJwt(token, [{ kid: "k0", secret: "x".repeat(32) }, key], now)).toMatchObject({ sub: "usr_1" });
		expect(await verifyJwt(token, [key], now + 60)).toBeNull();
		expect(await verifyJwt(token, [{ ...key, kid: "k2" }], now)).toBeNull();
		expect(await verifyJwt(token, [{ ...key, secret: `${key.secret}x` }], now)).toBeNull();
	});

	it("refuses other algorithms, missing expiry and malformed tokens", async () => {
		const header = (h: object) => btoa(JSON.stringify(h)).replace(/=+$/, "");
		const [, payload, signature] = (await signJwt({ sub: "usr_1", exp: now + 60 }, key)).split(".");
		for (const token of [
			`${header({ alg: "none", kid: "k1" })}.${payload}.`,
			`${header({ alg: "HS256", kid: "k1" })}.${payload}.${signature}`,
			`${header({ alg: "HS512" })}.${payload}.${signature}`,
			"a.b",
			"a.b.c.d",
			"!!.??.**",
		]) {
			expect(await verifyJwt(token, [key], now)).toBeNull();
		}
		expect(await verifyJwt(await signJwt({ sub: "usr_1" }, key), [key], now)).toBeNull();
	});

	it("reads JWT_SIGNING_KEYS, refusing short secrets and malformed kids", () => {
		expect(parseSigningKeys(`a:${"s".repeat(32)},b:${"t".repeat(40)}`)).toEqual([
			{ kid: "a", secret: "s".repeat(32) },
			{ kid: "b", secret: "t".repeat(40) },
		]);
		expect(parseSigningKeys(`a:${"s".repeat(31)}`)).toBeNull();
		expect(parseSigningKeys(`:${"s".repeat(32)}`)).toBeNull();
		expect(parseSigningKeys("s".repeat(40))).toBeNull();
		expect(parseSigningKeys(undefined)).toBeNull();
		expect(parseSigningKeys("")).toBeNull();
	});
});
