import { sql } from "drizzle-orm";
import { rawStatement } from "../../db/client";
import type { ServiceContext } from "../../lib/context";
import type { CollectionCaseRow } from "../../schemas/dunning";

/**
 * The statement that refuses its whole batch (`state_changed`) when a case is no longer open at the
 * version it was read at, so a change and its audit row commit only together.
 */
export const caseStillAsRead = (ctx: ServiceContext, read: CollectionCaseRow) =>
	rawStatement(
		ctx.db,
		sql`insert into account_state_checks (expected, actual) select ${`${read.version}:open`}, version || ':' || status from collection_cases where tenant_id = ${ctx.tenantId} and id = ${read.id}`,
	);
