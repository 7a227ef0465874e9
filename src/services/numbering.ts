// Gapless per-tenant number series. The counter moves in the same batch that stamps the number, so a
// batch that fails leaves no gap, and D1 runs batches one at a time, so no two get the same number.
import { and, eq, type Placeholder, type SQL, sql } from "drizzle-orm";
import { preparedQuery } from "../db/client";
import { invoices, numberSequences, tenants } from "../db/schema";
import { type NumberFormat, numberParts } from "../domain/invoiceNumber";
import type { ServiceContext } from "../lib/context";

export type NumberSeries = "invoice" | "credit_note";

/** Which counter a number comes from and how it is written: values, or placeholders of a prepared query. */
export type NumberKey<V = unknown> = Record<"tenantId" | "series" | "period" | "prefix" | "width" | "suffix", V>;

/** The number the series' counter stands at, formatted, for a statement after the one that moved it. */
export const numberTaken = (key: NumberKey): SQL =>
	sql`${key.prefix} || printf('%0' || ${key.width} || 'd', (select ${numberSequences.lastValue} from ${numberSequences}
		where ${numberSequences.tenantId} = ${key.tenantId} and ${numberSequences.series} = ${key.series}
		and ${numberSequences.period} = ${key.period})) || ${key.suffix}`;

/** The key as placeholders named after its fields, for prepared statements that stamp a number. */
export const numberKeyPlaceholders: NumberKey<Placeholder> = {
	tenantId: sql.placeholder("tenantId"),
	series: sql.placeholder("series"),
	period: sql.placeholder("period"),
	prefix: sql.placeholder("prefix"),
	width: sql.placeholder("width"),
	suffix: sql.placeholder("suffix"),
};

/**
 * Moves the counter of (tenant, series, period), made at 1 on first use. With `draftId`, only while that
 * invoice is still a draft: repeating a finalize that already took its number moves nothing.
 */
const advanceSeries = preparedQuery((db) => {
	const { tenantId, series, period } = numberKeyPlaceholders;
	const draftId = sql.placeholder("draftId");
	return db
		.insert(numberSequences)
		.select(
			db
				.select({
					tenantId: sql`${tenantId}`.as("tenant_id"),
					series: sql`${series}`.as("series"),
					period: sql`${period}`.as("period"),
					lastValue: sql`1`.as("last_value"),
				})
				.from(tenants)
				.where(
					and(
						eq(tenants.id, tenantId),
						sql`(${draftId} is null or exists (select 1 from ${invoices} where ${invoices.tenantId} = ${tenantId}
							and ${invoices.id} = ${draftId} and ${invoices.status} = 'draft'))`,
					),
				),
		)
		.onConflictDoUpdate({
			target: [numberSequences.tenantId, numberSequences.series, numberSequences.period],
			set: { lastValue: sql`${numberSequences.lastValue} + 1` },
		});
});

/**
 * `advance` moves the series' counter (for an invoice, only while `draftId` is a draft), `number` is the
 * SQL expression of the number it took, and `key` the values it is read with, for a later statement of
 * the same batch.
 */
export function takeNextNumber(
	ctx: ServiceContext,
	options: { series: NumberSeries; format: NumberFormat; year: number; draftId?: string },
) {
	const { prefix, suffix, width, period } = numberParts(options.format, options.year);
	const key: NumberKey<string | number> = {
		tenantId: ctx.tenantId,
		series: options.series,
		period,
		prefix,
		width,
		suffix,
	};
	return {
		advance: advanceSeries(ctx.db, {
			tenantId: ctx.tenantId,
			series: options.series,
			period,
			draftId: options.draftId ?? null,
		}),
		number: numberTaken(key),
		key,
	};
}
