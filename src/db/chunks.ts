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

/** Runs `query` over the ids a chunk at a time and joins the results. */
export async function byIdChunks<T>(ids: readonly string[], query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
	return (await Promise.all(chunked(ids).map(query))).flat();
}
