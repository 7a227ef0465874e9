import { fillPlaceholders, getTableColumns, getTableName, is, SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import type { RunnableQuery } from "drizzle-orm/runnable-query";
import { SQLiteAsyncDialect, type SQLiteColumn, type SQLiteTable } from "drizzle-orm/sqlite-core";

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

const clientOf = (db: Database) => (db as unknown as { $client: D1Database }).$client;

type BuiltQuery = { sql: string; params: unknown[] };
type ResultMapper = (response: unknown, isFromBatch?: boolean) => unknown;

/**
 * A statement drizzle's batch runs as it is: `stmt` bound to `query.params`, its result mapped by
 * `mapResult` (drizzle's own, for a select) or returned as D1 gives it.
 */
const batchItem = (query: BuiltQuery, stmt: D1PreparedStatement, mapResult: ResultMapper = (result) => result) => {
	const prepared = { getQuery: () => query, stmt, mapResult };
	return { _prepare: () => prepared } as unknown as BatchItem<"sqlite">;
};

/**
 * Raw SQL as an item of `db.batch`. Drizzle's own `db.run(sql)` drops its bound parameters inside a
 * D1 batch (0.45), so the statement is prepared on the D1 binding directly.
 */
export function rawStatement(db: Database, query: SQL): BatchItem<"sqlite"> {
	const built = dialect.sqlToQuery(query);
	return batchItem(built, clientOf(db).prepare(built.sql));
}

/** D1 binds at most 100 parameters per statement. */
const MAX_BOUND_PARAMETERS = 100;

type InsertShape = {
	columns: [key: string, column: SQLiteColumn][];
	/** `insert into "table" ("a", "b") values ` */
	head: string;
	/** `(?, ?)` */
	row: string;
	/** Each statement's text, prepared once per binding. */
	statements: WeakMap<D1Database, Map<string, D1PreparedStatement>>;
};

const insertShapes = new WeakMap<SQLiteTable, InsertShape>();

function insertShapeOf(table: SQLiteTable): InsertShape {
	let shape = insertShapes.get(table);
	if (!shape) {
		const columns = Object.entries(getTableColumns(table)).filter(([, column]) => !column.generated);
		const withSqlDefault = columns.find(([, column]) => is(column.default, SQL));
		if (withSqlDefault) throw new Error(`insertRows: ${getTableName(table)}.${withSqlDefault[0]} has an SQL default`);
		shape = {
			columns,
			head: `insert into "${getTableName(table)}" (${columns.map(([, column]) => `"${column.name}"`).join(", ")}) values `,
			row: `(${columns.map(() => "?").join(", ")})`,
			statements: new WeakMap(),
		};
		insertShapes.set(table, shape);
	}
	return shape;
}

/**
 * A value of `insertRows` that the statement computes: `sql` with a `?` for each of `params`. It can read
 * what earlier statements of the same batch wrote (a number the batch assigned, say).
 */
export class Computed {
	constructor(
		readonly sql: string,
		readonly params: readonly unknown[],
	) {}
}

/** A row of `insertRows`: the table's insert values, any of them `Computed`. */
export type InsertRow<T extends SQLiteTable> = { [K in keyof T["$inferInsert"]]: T["$inferInsert"][K] | Computed };

/** A column's value as D1 binds it: drizzle's own mapping (JSON, booleans), or the column's default. */
function driverValue(column: SQLiteColumn, value: unknown): unknown {
	const given = value === undefined ? (column.default ?? column.defaultFn?.()) : value;
	return given === undefined || given === null ? null : column.mapToDriverValue(given);
}

/** Distinct statement texts kept prepared per table and binding; past it, a rare shape is prepared per use. */
const MAX_PREPARED_SHAPES = 64;

/**
 * Inserts as items of `db.batch`, as many rows to a statement as D1's parameter limit allows. The hot
 * writes (invoices, lines, journals, audit and outbox rows) insert known values, and drizzle's query
 * building cost more than the D1 round trip that runs them: here the SQL text of each shape is made
 * once per binding, and only the values are bound per use. A value may be `Computed` by SQL.
 */
export function insertRows<T extends SQLiteTable>(
	db: Database,
	table: T,
	rows: readonly InsertRow<T>[],
): BatchItem<"sqlite">[] {
	const shape = insertShapeOf(table);
	const client = clientOf(db);
	let prepared = shape.statements.get(client);
	if (!prepared) {
		prepared = new Map();
		shape.statements.set(client, prepared);
	}
	const items: BatchItem<"sqlite">[] = [];
	let texts: string[] = [];
	let params: unknown[] = [];
	const flush = () => {
		const sql = `${shape.head}${texts.join(", ")}`;
		let stmt = prepared.get(sql);
		if (!stmt) {
			stmt = client.prepare(sql);
			if (prepared.size < MAX_PREPARED_SHAPES) prepared.set(sql, stmt);
		}
		items.push(batchItem({ sql, params }, stmt));
		texts = [];
		params = [];
	};
	for (const row of rows) {
		const values: unknown[] = [];
		let cells: string[] | null = null;
		for (let index = 0; index < shape.columns.length; index++) {
			const [key, column] = shape.columns[index] as InsertShape["columns"][number];
			const value = (row as Record<string, unknown>)[key];
			if (value instanceof Computed) {
				cells ??= shape.columns.map(() => "?");
				cells[index] = value.sql;
				values.push(...value.params);
			} else values.push(driverValue(column, value));
		}
		// A row wider than the limit still gets a statement of its own (which D1 then refuses).
		if (texts.length > 0 && params.length + values.length > MAX_BOUND_PARAMETERS) flush();
		texts.push(cells ? `(${cells.join(", ")})` : shape.row);
		params.push(...values);
	}
	if (texts.length > 0) flush();
	return items;
}

/**
 * `preparedQuery` for SQL that no drizzle builder makes (an insert into a view, say): `query` with
 * `sql.placeholder(name)` where its values go, its text built once and prepared once per binding.
 */
export function preparedStatement(query: SQL) {
	const built = dialect.sqlToQuery(query);
	const statements = new WeakMap<D1Database, D1PreparedStatement>();
	return (db: Database, values: Record<string, unknown>): BatchItem<"sqlite"> => {
		const client = clientOf(db);
		let stmt = statements.get(client);
		if (!stmt) {
			stmt = client.prepare(built.sql);
			statements.set(client, stmt);
		}
		return batchItem({ sql: built.sql, params: fillPlaceholders(built.params, values) }, stmt);
	};
}

/**
 * A placeholder wrapped as SQL, for a prepared query's value where drizzle's types take SQL but not a
 * bare placeholder (an update's `set`, a JSON column bound as text): bound as given, unencoded.
 */
export const bound = (name: string) => sql`${sql.placeholder(name)}`;

type PreparableQuery = { prepare(): unknown; readonly _: { readonly result: unknown } };
type PreparedForBatch = { query: BuiltQuery; stmt: D1PreparedStatement; mapResult: ResultMapper };

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
		const query = { sql: prepared.query.sql, params: fillPlaceholders(prepared.query.params, values) };
		return batchItem(query, prepared.stmt, prepared.mapResult.bind(prepared)) as unknown as RunnableQuery<
			Q["_"]["result"],
			"sqlite"
		>;
	};
}
