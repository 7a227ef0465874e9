import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { idPrefixes, newId, ulid } from "../../src/lib/ids";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** The millisecond timestamp a ULID's first ten characters encode. */
const decodeTime = (id: string) => [...id.slice(0, 10)].reduce((ms, ch) => ms * 32 + CROCKFORD.indexOf(ch), 0);

describe("ulid", () => {
	it("is 26 Crockford base32 characters (no I, L, O, U)", () => {
		for (let i = 0; i < 100; i++) expect(ulid()).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
	});

	it("encodes the millisecond timestamp in its first ten characters", () => {
		const at = Date.now() + 5;
		expect(decodeTime(ulid(at))).toBe(at);
	});

	it("keeps increasing within one millisecond", () => {
		const at = Date.now() + 10;
		const ids = Array.from({ length: 1000 }, () => ulid(at));
		expect([...ids].sort()).toEqual(ids);
		expect(new Set(ids).size).toBe(ids.length);
		for (const id of ids) expect(decodeTime(id)).toBe(at);
	});

	it("keeps increasing even if the clock steps backwards", () => {
		const at = Date.now() + 20;
		const first = ulid(at);
		const second = ulid(at - 1000);
		expect(second > first).toBe(true);
		expect(decodeTime(second)).toBe(at);
	});

	it("sorts by time across milliseconds", () => {
		const base = Date.now() + 30;
		let at = base;
		fc.assert(
			fc.property(fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 20 }), (steps) => {
				let previous = ulid(at);
				for (const step of steps) {
					at += step;
					const next = ulid(at);
					expect(next > previous).toBe(true);
					expect(decodeTime(next)).toBe(at);
					previous = next;
				}
			}),
			{ numRuns: 20 },
		);
	});
});

describe("newId", () => {
	it.each(Object.entries(idPrefixes))("makes %s ids with the prefix %s_", (kind, prefix) => {
		const id = newId(kind as keyof typeof idPrefixes);
		expect(id).toMatch(new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`));
	});

	it("makes ids in creation order", () => {
		const ids = Array.from({ length: 200 }, () => newId("customer"));
		expect([...ids].sort()).toEqual(ids);
		expect(new Set(ids).size).toBe(ids.length);
	});

	it("uses distinct prefixes per kind", () => {
		const prefixes = Object.values(idPrefixes);
		expect(new Set(prefixes).size).toBe(prefixes.length);
	});
});
