// Gapless per-tenant number series. The counter moves in the same batch that stamps the number, so a
// batch that fails leaves no gap, and D1 runs batches one at a time, so no two get the same number.
import { and, eq, type SQL, sql } from "drizzle-orm";
import { numberSequences, tenants } from "../db/schema";
import { type NumberFormat, numberParts } from "../domain/invoiceNumber";
import type { ServiceContext } from "../lib/context";

export type NumberSeries = "invoice" | "credit_note";

/**
 * `advance` moves the series' counter — only while `onlyIf` holds, so repeating an operation that
 * already took its number moves nothing — and `number` is the SQL expression of the number it took,
 * for a later statement of the same batch.
 */
export function takeNextNumber(
	ctx: ServiceContext,
	options: { series: NumberSeries; format: NumberFormat; year: number; onlyIf?: SQL },
) {
	const parts = numberParts(options.format, options.year);
	const key = and(
		eq(numberSequences.tenantId, ctx.tenantId),
		eq(numberSequences.series, options.series),
		eq(numberSequences.period, parts.period),
	);
	const advance = ctx.db
		.insert(numberSequences)
		.select(
			ctx.db
				.select({
					tenantId: sql`${ctx.tenantId}`.as("tenant_id"),
					series: sql`${options.series}`.as("series"),
					period: sql`${parts.period}`.as("period"),
					lastValue: sql`1`.as("last_value"),
				})
				.from(tenants)
				.where(and(eq(tenants.id, ctx.tenantId), options.onlyIf)),
		)
		.onConflictDoUpdate({
			target: [numberSequences.tenantId, numberSequences.series, numberSequences.period],
			set: { lastValue: sql`${numberSequences.lastValue} + 1` },
		});
	const value = sql`(select ${numberSequences.lastValue} from ${numberSequences} where ${key})`;
	const number = sql`${parts.prefix} || printf('%0' || ${parts.width} || 'd', ${value}) || ${parts.suffix}`;
	return { advance, number };
}
