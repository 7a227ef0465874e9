import { type Column, inArray, type Placeholder, sql } from "drizzle-orm";

/**
 * D1 binds at most 100 parameters per statement. A query over a list of ids binds them beside a few
 * of its own, so lists are split into chunks that leave room for those.
 */
export const ID_CHUNK = 90;

export function chunked<T>(items: readonly T[], size = ID_CHUNK): T[][] {
	const chunks: T[][] = [];
	for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
	return chunks;
}

/** Items in order, as many to a chunk as their `weight` allows under `limit` (one heavier than it goes alone). */
export function chunkedByWeight<T>(items: readonly T[], weight: (item: T) => number, limit: number): T[][] {
	const chunks: T[][] = [];
	let chunk: T[] = [];
	let total = 0;
	for (const item of items) {
		const itemWeight = weight(item);
		if (chunk.length > 0 && total + itemWeight > limit) {
			chunks.push(chunk);
			chunk = [];
			total = 0;
		}
		chunk.push(item);
		total += itemWeight;
	}
	if (chunk.length > 0) chunks.push(chunk);
	return chunks;
}

/** Runs `query` over the ids a chunk at a time and joins the results. */
export async function byIdChunks<T>(ids: readonly string[], query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
	return (await Promise.all(chunked(ids).map(query))).flat();
}

/**
 * `column in (values)` with the values bound as one JSON array and read by json_each: any number of
 * them in one parameter, and one statement shape however many (so it can be prepared). `values` is
 * the list itself, or a placeholder filled with `JSON.stringify(list)`.
 */
export const inJsonArray = (column: Column, values: readonly string[] | Placeholder) =>
	inArray(column, sql`(select value from json_each(${Array.isArray(values) ? JSON.stringify(values) : values}))`);
