import { afterEach, describe, expect, it, vi } from "vitest";
import { IsolateCache } from "../../src/lib/isolateCache";

afterEach(() => {
	vi.useRealTimers();
});

describe("IsolateCache", () => {
	it("forgets a value once its time is up, and a set does not lengthen another's", () => {
		vi.useFakeTimers({ now: 0 });
		const cache = new IsolateCache<boolean>(10_000, 10);
		cache.set("a", false);
		vi.setSystemTime(5_000);
		cache.set("b", true);
		expect(cache.get("a")).toBe(false);
		vi.setSystemTime(10_000);
		expect(cache.get("a")).toBeUndefined();
		expect(cache.get("b")).toBe(true);
		vi.setSystemTime(15_000);
		expect(cache.get("b")).toBeUndefined();
	});

	it("keeps at most its capacity, dropping the oldest; delete and clear forget at once", () => {
		const cache = new IsolateCache<number>(60_000, 2);
		cache.set("a", 1);
		cache.set("b", 2);
		cache.set("a", 3);
		cache.set("c", 4);
		expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([3, undefined, 4]);
		cache.delete("a");
		expect(cache.get("a")).toBeUndefined();
		cache.clear();
		expect(cache.get("c")).toBeUndefined();
	});
});
