import { env } from "cloudflare:test";
import type { BatchItem } from "drizzle-orm/batch";
import { type Database, database } from "../../src/db/client";

/**
 * The test database as something that only sends batches, seen by the test: each batch's statement count
 * in `batches`, and a `failure` it may raise for the nth batch instead of calling D1.
 */
export function watchedDatabase(failure?: (call: number) => Error | undefined) {
	const db = database(env.DB);
	const batches: number[] = [];
	const watched = {
		batch: (items: BatchItem<"sqlite">[]) => {
			batches.push(items.length);
			const error = failure?.(batches.length);
			return error ? Promise.reject(error) : db.batch(items as [BatchItem<"sqlite">]);
		},
	} as unknown as Database;
	return { watched, batches };
}
