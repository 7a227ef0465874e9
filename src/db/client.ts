import { fillPlaceholders, getTableColumns, getTableName, is, SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import type { RunnableQuery } from "drizzle-orm/runnable-query";
import { SQLiteAsyncDialect, type SQLiteColumn, type SQLiteTable } from "drizzle-orm/sqlite-core";
import { chunkedByWeight } from "./chunks";

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

/**
 * Rows that travel as one JSON parameter (SQLite unpacks them with json_each) go this many bytes to a
 * statement at most, far below D1's limit on a bound value.
 */
export const MAX_JSON_BYTES = 512 * 1024;

type InsertShape = {
	columns: [key: string, column: SQLiteColumn][];
	/** `insert into "table" ("a", "b") values ` */
	head: string;
	/** `(?, ?)` */
	row: string;
	/** `insert into "table" ("a", "b") select value ->> '$[0]', value ->> '$[1]' from json_each(?)` */
	fromJson: string;
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
		const into = `insert into "${getTableName(table)}" (${columns.map(([, column]) => `"${column.name}"`).join(", ")})`;
		shape = {
			columns,
			head: `${into} values `,
			row: `(${columns.map(() => "?").join(", ")})`,
			fromJson: `${into} select ${columns.map((_, index) => `value ->> '$[${index}]'`).join(", ")} from json_each(?)`,
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

export type InsertOptions = {
	/** Skip a row whose primary or unique key is taken (`on conflict do nothing`), as a replayed event. */
	ignoreDuplicates?: boolean;
};

/** A row of `insertRows` as D1 binds it: its values, and its `(?, ?)` (a `Computed` value's SQL in its cell). */
type EncodedRow = { values: unknown[]; text: string; computed: boolean };

type WrittenRows = { table: SQLiteTable; rows: readonly EncodedRow[]; options: InsertOptions };

/** The table and rows of each item `insertRows` made, for `mergedUnits` to write several units' rows at once. */
const writtenRows = new WeakMap<BatchItem<"sqlite">, WrittenRows>();

function encodedRows(shape: InsertShape, rows: readonly InsertRow<SQLiteTable>[]): EncodedRow[] {
	return rows.map((row) => {
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
		return { values, text: cells ? `(${cells.join(", ")})` : shape.row, computed: cells !== null };
	});
}

/**
 * Inserts as items of `db.batch`. The hot writes (invoices, lines, journals, audit and outbox rows) insert
 * known values, and drizzle's query building cost more than the D1 round trip that runs them: here the
 * SQL text of each shape is made once per binding, and only the values are bound per use. Rows bind
 * their values, as many to a statement as D1's parameter limit allows; rows too many for one statement
 * go as one JSON parameter instead, one statement for all of them (a statement costs more than
 * unpacking its rows, and JSON carries text, integers and null as binding does: the schema has no
 * other kind of value). A row with a value `Computed` by SQL always binds.
 */
export function insertRows<T extends SQLiteTable>(
	db: Database,
	table: T,
	rows: readonly InsertRow<T>[],
	options: InsertOptions = {},
): BatchItem<"sqlite">[] {
	return insertStatements(db, table, encodedRows(insertShapeOf(table), rows), options);
}

function insertStatements(
	db: Database,
	table: SQLiteTable,
	rows: readonly EncodedRow[],
	options: InsertOptions,
): BatchItem<"sqlite">[] {
	const shape = insertShapeOf(table);
	const onConflict = options.ignoreDuplicates ? " on conflict do nothing" : "";
	const client = clientOf(db);
	let prepared = shape.statements.get(client);
	if (!prepared) {
		prepared = new Map();
		shape.statements.set(client, prepared);
	}
	const statement = (sql: string, params: unknown[], written: readonly EncodedRow[]) => {
		let stmt = prepared.get(sql);
		if (!stmt) {
			stmt = client.prepare(sql);
			if (prepared.size < MAX_PREPARED_SHAPES) prepared.set(sql, stmt);
		}
		const item = batchItem({ sql, params }, stmt);
		writtenRows.set(item, { table, rows: written, options });
		return item;
	};
	// What fits one statement binds, which costs less than encoding and unpacking JSON.
	const plainParameters = rows.reduce((count, row) => count + (row.computed ? 0 : row.values.length), 0);
	const asJson = plainParameters > MAX_BOUND_PARAMETERS;
	const encoded = asJson
		? rows.filter((row) => !row.computed).map((row) => ({ row, json: JSON.stringify(row.values) }))
		: [];
	const bound = asJson ? rows.filter((row) => row.computed) : rows;
	return [
		...chunkedByWeight(encoded, (row) => row.json.length + 1, MAX_JSON_BYTES).map((chunk) =>
			statement(
				// `where true`: SQLite parses an upsert after a select only when the select has a where clause.
				onConflict ? `${shape.fromJson} where true${onConflict}` : shape.fromJson,
				[`[${chunk.map((row) => row.json).join(",")}]`],
				chunk.map((row) => row.row),
			),
		),
		// A row wider than the limit still gets a statement of its own (which D1 then refuses).
		...chunkedByWeight(bound, (row) => row.values.length, MAX_BOUND_PARAMETERS).map((chunk) =>
			statement(
				`${shape.head}${chunk.map((row) => row.text).join(", ")}${onConflict}`,
				chunk.flatMap((row) => row.values),
				chunk,
			),
		),
	];
}

/** What `mergedUnits` compares: each item's table where `insertRows` made it, else its place. */
const shapeOfUnit = (unit: readonly BatchItem<"sqlite">[]) =>
	unit.map((item) => {
		const written = writtenRows.get(item);
		return written
			? `${getTableName(written.table)}${written.options.ignoreDuplicates ? " ignoring duplicates" : ""}`
			: "";
	});

/**
 * Independent units of work (each its list of batch items) in one batch, in fewer statements. Where
 * consecutive units have the same shape, the inserts each of them makes at one place become one insert
 * of all their rows, and their other statements run unit by unit in between. So each unit's statements
 * keep their order, and the units' other statements keep theirs (the numbers they take, say); a unit's
 * inserts may run before an earlier unit's other statements, which is why the units must not depend on
 * one another. A unit that fails fails the whole batch, as it would unmerged.
 */
export function mergedUnits(db: Database, units: readonly (readonly BatchItem<"sqlite">[])[]): BatchItem<"sqlite">[] {
	const shapes = units.map((unit) => shapeOfUnit(unit).join(","));
	const merged: BatchItem<"sqlite">[] = [];
	for (let start = 0, end = 1; start < units.length; start = end, end = start + 1) {
		while (end < units.length && shapes[end] === shapes[start]) end++;
		merged.push(...mergedSameShape(db, units.slice(start, end)));
	}
	return merged;
}

/** Units of one shape (at least one): each place's inserts as one, from the rows the units encoded already. */
function mergedSameShape(db: Database, units: readonly (readonly BatchItem<"sqlite">[])[]): BatchItem<"sqlite">[] {
	const first = units[0] as readonly BatchItem<"sqlite">[];
	if (units.length === 1) return [...first];
	const merged: BatchItem<"sqlite">[] = [];
	let from = 0;
	const unitByUnit = (to: number) => {
		for (const unit of units) merged.push(...unit.slice(from, to));
	};
	first.forEach((item, place) => {
		const written = writtenRows.get(item);
		if (!written) return;
		unitByUnit(place);
		const rows = units.flatMap((unit) => (writtenRows.get(unit[place] as BatchItem<"sqlite">) as WrittenRows).rows);
		merged.push(...insertStatements(db, written.table, rows, written.options));
		from = place + 1;
	});
	unitByUnit(first.length);
	return merged;
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
