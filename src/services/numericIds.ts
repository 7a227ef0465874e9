// Seed 001's numeric ids: each of the tenant's invoices and customers gets the next number of a
// per-tenant sequence the first time that surface shows it, kept in numeric_ids.
import { and, eq, inArray, sql } from "drizzle-orm";
import { customers, invoices, numericIds } from "../db/schema";
import type { ServiceContext } from "../lib/context";

export type NumberedKind = "invoice" | "customer";

const sources = { invoice: invoices, customer: customers };

/**
 * Numbers whatever of the tenant's `kind` has no number yet (all of them, or `ids`), in creation order,
 * continuing the sequence. One statement: D1 runs it alone, so two callers never take the same number.
 */
function numberStatement(ctx: ServiceContext, kind: NumberedKind, ids?: readonly string[]) {
	const table = sources[kind];
	const only = ids ? sql`and ${inArray(table.id, ids.length > 0 ? [...ids] : [""])}` : sql``;
	return ctx.db.run(sql`insert into ${numericIds} (tenant_id, kind, number, target_id)
		select ${ctx.tenantId}, ${kind},
			(select coalesce(max(number), 0) from ${numericIds} where tenant_id = ${ctx.tenantId} and kind = ${kind})
				+ row_number() over (order by ${table.id}),
			${table.id}
		from ${table}
		where ${table.tenantId} = ${ctx.tenantId} ${only}
			and not exists (select 1 from ${numericIds} n where n.tenant_id = ${ctx.tenantId} and n.kind = ${kind} and n.target_id = ${table.id})
		on conflict do nothing`);
}

/** The numbers of `ids` (numbering those that have none), as a map from id to number. */
export async function numbersOf(ctx: ServiceContext, kind: NumberedKind, ids: readonly string[]) {
	if (ids.length === 0) return new Map<string, number>();
	await numberStatement(ctx, kind, ids);
	const rows = await ctx.db
		.select({ targetId: numericIds.targetId, number: numericIds.number })
		.from(numericIds)
		.where(
			and(eq(numericIds.tenantId, ctx.tenantId), eq(numericIds.kind, kind), inArray(numericIds.targetId, [...ids])),
		)
		.all();
	return new Map(rows.map((r) => [r.targetId, r.number]));
}

/** Numbers every one of the tenant's `kind` that has none yet. */
export async function numberAll(ctx: ServiceContext, kind: NumberedKind) {
	await numberStatement(ctx, kind);
}

/** The id a number stands for; null when the tenant has no such number. */
export async function idOfNumber(ctx: ServiceContext, kind: NumberedKind, number: number): Promise<string | null> {
	const row = await ctx.db
		.select({ targetId: numericIds.targetId })
		.from(numericIds)
		.where(and(eq(numericIds.tenantId, ctx.tenantId), eq(numericIds.kind, kind), eq(numericIds.number, number)))
		.get();
	return row?.targetId ?? null;
}
