import { fillPlaceholders, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import type { RunnableQuery } from "drizzle-orm/runnable-query";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";

export type Database = DrizzleD1Database;

const databases = new WeakMap<D1Database, Database>();

/**
 * The drizzle handle of a D1 binding, made once per binding and isolate: it holds nothing of a request,
 * and making one with the relational schema cost about half a D1 point read per request. No relational
 * schema: queries name their tables.
 */
export function database(d1: D1Database): Database {
	let db = databases.get(d1);
	if (!db) {
		db = drizzle(d1);
		databases.set(d1, db);
	}
	return db;
}

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

type PreparableQuery = { prepare(): unknown; readonly _: { readonly result: unknown } };
type PreparedForBatch = {
	query: { sql: string; params: unknown[] };
	stmt: D1PreparedStatement;
	mapResult(response: unknown, isFromBatch?: boolean): unknown;
};

/**
 * A query built once per D1 binding, with `sql.placeholder(name)` where its values go, and run with
 * `values` as an item of `db.batch`. Hot reads (an invoice's detail, a payment's inputs) have one
 * shape each, and building a drizzle query costs the Worker more CPU than the D1 round trip it makes.
 */
export function preparedQuery<Q extends PreparableQuery>(build: (db: Database) => Q) {
	const byDatabase = new WeakMap<Database, PreparedForBatch>();
	return (db: Database, values: Record<string, unknown>): RunnableQuery<Q["_"]["result"], "sqlite"> => {
		let prepared = byDatabase.get(db);
		if (!prepared) {
			prepared = build(db).prepare() as PreparedForBatch;
			byDatabase.set(db, prepared);
		}
		const { stmt, mapResult } = prepared;
		const query = { sql: prepared.query.sql, params: fillPlaceholders(prepared.query.params, values) };
		const item = { getQuery: () => query, stmt, mapResult: mapResult.bind(prepared) };
		return { _prepare: () => item } as unknown as RunnableQuery<Q["_"]["result"], "sqlite">;
	};
}
