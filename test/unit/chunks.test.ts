import { describe, expect, it } from "vitest";
import { chunkedByWeight } from "../../src/db/chunks";

describe("chunkedByWeight", () => {
	it("keeps order and fills each chunk up to the limit, exactly at it included", () => {
		expect(chunkedByWeight([3, 2, 5, 1, 4], (n) => n, 5)).toEqual([[3, 2], [5], [1, 4]]);
	});

	it("gives an item heavier than the limit a chunk of its own", () => {
		expect(chunkedByWeight([1, 9, 1], (n) => n, 5)).toEqual([[1], [9], [1]]);
	});

	it("makes no chunk of nothing", () => {
		expect(chunkedByWeight([], () => 1, 5)).toEqual([]);
	});
});
