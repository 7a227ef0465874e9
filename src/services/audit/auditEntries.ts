import { and, eq, gte, lt } from "drizzle-orm";
import { auditLog } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import type { ServiceContext } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { type AuditListQuery, presentAuditEntry } from "../../schemas/audit";
import { paginate } from "../pagination";

const DAY_MS = 24 * 60 * 60 * 1000;

/** A bare date as `from` is the start of that day (UTC); as `to`, the whole day is included. */
const instant = (value: string, bound: "from" | "to") => {
	if (value.length !== 10) return new Date(value).toISOString();
	const start = Date.parse(`${value}T00:00:00Z`);
	return new Date(bound === "from" ? start : start + DAY_MS).toISOString();
};

export function listAuditEntries({ ctx, query }: { ctx: ServiceContext; query: AuditListQuery }) {
	const filters = and(
		eq(auditLog.tenantId, ctx.tenantId),
		query.actor_id === undefined ? undefined : eq(auditLog.actorId, query.actor_id),
		query.action === undefined ? undefined : eq(auditLog.action, query.action),
		query.target_id === undefined ? undefined : eq(auditLog.targetId, query.target_id),
		query.from === undefined ? undefined : gte(auditLog.createdAt, instant(query.from, "from")),
		query.to === undefined ? undefined : lt(auditLog.createdAt, instant(query.to, "to")),
	);
	return paginate({
		query,
		idColumn: auditLog.id,
		run: (page) =>
			ctx.db
				.select()
				.from(auditLog)
				.where(and(filters, page.where))
				.orderBy(...page.orderBy)
				.limit(page.limit)
				.offset(page.offset),
		present: presentAuditEntry,
	});
}

export async function getAuditEntry({ ctx, id }: { ctx: ServiceContext; id: string }) {
	const row = await ctx.db
		.select()
		.from(auditLog)
		.where(idInTenant(auditLog, ctx.tenantId, id))
		.get();
	if (!row) throw notFound("audit entry", id);
	return presentAuditEntry(row);
}
