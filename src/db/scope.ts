import { and, eq, type SQLWrapper } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/**
 * The row `id` of a tenant's table, named by both: every read and every write by id carries the tenant
 * too, so a row read in one tenant can never be written through another's request.
 */
export const idInTenant = (
	table: { id: SQLiteColumn; tenantId: SQLiteColumn },
	tenantId: string | SQLWrapper,
	id: string | SQLWrapper,
) => and(eq(table.tenantId, tenantId), eq(table.id, id));
