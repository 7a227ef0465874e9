import type { BatchItem } from "drizzle-orm/batch";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Database = DrizzleD1Database<typeof schema>;

export const database = (d1: D1Database): Database => drizzle(d1, { schema });

/** One atomic D1 batch of any number of statements: all of them commit, or none does. */
export function runBatch(db: Database, statements: BatchItem<"sqlite">[]) {
	const [first, ...rest] = statements;
	if (!first) throw new Error("an empty batch commits nothing");
	return db.batch([first, ...rest]);
}
