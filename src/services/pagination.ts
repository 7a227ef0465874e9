import { asc, desc, gt, lt, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { AppError, fieldInvalid } from "../lib/errors";
import type { PaginationQuery } from "../schemas/common";

export type Page<T> = {
	object: "list";
	data: T[];
	has_more: boolean;
	next_cursor: string | null;
	limit: number;
	page?: number;
};

type SortKey = string | number;
type Cursor = { id: string; order: "asc" | "desc"; key?: SortKey };

export const encodeCursor = (cursor: Cursor) =>
	btoa(JSON.stringify(cursor)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

function decodeCursor(value: string): Cursor {
	try {
		const parsed = JSON.parse(atob(value.replaceAll("-", "+").replaceAll("_", "/"))) as Partial<Cursor>;
		const keyOk = parsed.key === undefined || typeof parsed.key === "string" || typeof parsed.key === "number";
		if (typeof parsed.id === "string" && (parsed.order === "asc" || parsed.order === "desc") && keyOk) {
			return { id: parsed.id, order: parsed.order, key: parsed.key };
		}
	} catch {
		// fall through: any undecodable cursor is the same client error
	}
	throw fieldInvalid("query", "cursor", "is not a cursor this API returned");
}

export type PageQuery = { where: SQL | undefined; orderBy: SQL[]; limit: number; offset: number };

/** Orders by another key than creation: a non-null SQL expression and the same value read off a row. */
export type SortBy<Row> = { expression: SQL; value: (row: Row) => SortKey; order: "asc" | "desc" };

/**
 * Cursor or page/limit pagination. Rows are ordered by `sortBy` (then id) or by their time-sortable
 * id alone; a cursor remembers the last row's position, so pages never skip or repeat a row. `run`
 * applies the page's conditions to the caller's own tenant-scoped query; one extra row says whether
 * more follow.
 */
export async function paginate<Row extends { id: string }, Out>(options: {
	/** `offset` skips that many rows instead of whole pages (seed 002's offset/limit surface). */
	query: PaginationQuery & { offset?: number };
	idColumn: SQLiteColumn;
	sortBy?: SortBy<Row>;
	run: (page: PageQuery) => Promise<Row[]>;
	present: (row: Row) => Out;
}): Promise<Page<Out>> {
	const { query, idColumn, sortBy, run, present } = options;
	if (query.cursor !== undefined && query.page !== undefined) {
		throw new AppError("validation_failed", "Send either cursor or page, not both.", {
			errors: [{ location: "query", field: "cursor", message: "cannot be combined with page" }],
		});
	}
	const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
	if (cursor && (sortBy === undefined) !== (cursor.key === undefined)) {
		throw fieldInvalid("query", "cursor", "belongs to a list with another sort order");
	}
	const order = cursor?.order ?? sortBy?.order ?? query.order;
	const direction = order === "asc" ? asc : desc;
	let where: SQL | undefined;
	if (cursor) {
		const after = order === "asc" ? gt : lt;
		where =
			sortBy && cursor.key !== undefined
				? order === "asc"
					? sql`(${sortBy.expression}, ${idColumn}) > (${cursor.key}, ${cursor.id})`
					: sql`(${sortBy.expression}, ${idColumn}) < (${cursor.key}, ${cursor.id})`
				: after(idColumn, cursor.id);
	}
	const rows = await run({
		where,
		orderBy: sortBy ? [direction(sortBy.expression), direction(idColumn)] : [direction(idColumn)],
		limit: query.limit + 1,
		offset: query.offset ?? (query.page === undefined ? 0 : (query.page - 1) * query.limit),
	});
	const hasMore = rows.length > query.limit;
	const data = rows.slice(0, query.limit);
	const last = data.at(-1);
	const nextCursor =
		hasMore && last && query.page === undefined
			? encodeCursor({ id: last.id, order, ...(sortBy ? { key: sortBy.value(last) } : {}) })
			: null;
	return {
		object: "list",
		data: data.map(present),
		has_more: hasMore,
		next_cursor: nextCursor,
		limit: query.limit,
		...(query.page === undefined ? {} : { page: query.page }),
	};
}
