import { asc, desc, gt, lt, type SQL } from "drizzle-orm";
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

type Cursor = { id: string; order: "asc" | "desc" };

const encodeCursor = (cursor: Cursor) =>
	btoa(JSON.stringify(cursor)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

function decodeCursor(value: string): Cursor {
	try {
		const parsed = JSON.parse(atob(value.replaceAll("-", "+").replaceAll("_", "/"))) as Partial<Cursor>;
		if (typeof parsed.id === "string" && (parsed.order === "asc" || parsed.order === "desc")) {
			return { id: parsed.id, order: parsed.order };
		}
	} catch {
		// fall through: any undecodable cursor is the same client error
	}
	throw fieldInvalid("query", "cursor", "is not a cursor this API returned");
}

export type PageQuery = { where: SQL | undefined; orderBy: SQL; limit: number; offset: number };

/**
 * Cursor or page/limit pagination over rows ordered by their time-sortable id. `run` applies the
 * page's conditions to the caller's own tenant-scoped query; one extra row tells whether more follow.
 */
export async function paginate<Row extends { id: string }, Out>(
	query: PaginationQuery,
	idColumn: SQLiteColumn,
	run: (page: PageQuery) => Promise<Row[]>,
	present: (row: Row) => Out,
): Promise<Page<Out>> {
	if (query.cursor !== undefined && query.page !== undefined) {
		throw new AppError("validation_failed", "Send either cursor or page, not both.", {
			errors: [{ location: "query", field: "cursor", message: "cannot be combined with page" }],
		});
	}
	const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
	const order = cursor?.order ?? query.order;
	const where = cursor ? (order === "asc" ? gt(idColumn, cursor.id) : lt(idColumn, cursor.id)) : undefined;
	const offset = query.page === undefined ? 0 : (query.page - 1) * query.limit;
	const rows = await run({
		where,
		orderBy: order === "asc" ? asc(idColumn) : desc(idColumn),
		limit: query.limit + 1,
		offset,
	});
	const hasMore = rows.length > query.limit;
	const data = rows.slice(0, query.limit);
	const last = data.at(-1);
	return {
		object: "list",
		data: data.map(present),
		has_more: hasMore,
		next_cursor: hasMore && last && query.page === undefined ? encodeCursor({ id: last.id, order }) : null,
		limit: query.limit,
		...(query.page === undefined ? {} : { page: query.page }),
	};
}
