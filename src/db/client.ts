import type { SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import * as schema from "./schema";

export type Database = DrizzleD1Database<typeof schema>;

export const database = (d1: D1Database): Database => drizzle(d1, { schema });

/** One atomic D1 batch of any number of statements: all of them commit, or none does. */
export function runBatch(db: Database, statements: BatchItem<"sqlite">[]) {
	const [first, ...rest] = statements;
	if (!first) throw new Error("an empty batch commits nothing");
	return db.batch([first, ...rest]);
}

const dialect = new SQLiteAsyncDialect();

/**
 * Raw SQL as an item of `db.batch`. Drizzle's own `db.run(sql)` drops its bound parameters inside a
 * D1 batch (0.45), so the statement is prepared on the D1 binding directly.
 */
export function rawStatement(db: Database, query: SQL): BatchItem<"sqlite"> {
	const built = dialect.sqlToQuery(query);
	const client = (db as unknown as { $client: D1Database }).$client;
	const prepared = { getQuery: () => built, stmt: client.prepare(built.sql), mapResult: (result: unknown) => result };
	return { _prepare: () => prepared } as unknown as BatchItem<"sqlite">;
}
