// Reading usage: a metric's value over a window is a range over the daily aggregates, combined the
// metric's way (sums add, maxima take the max, the last value is the latest, unique values count once).
import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { addInterval, dayBefore } from "../../domain/billingPeriods";
import { dimensionPath, formatE6 } from "../../domain/usage";
import type { BillableMetricRow } from "../../schemas/usage";

export type UsageScope = {
	tenantId: string;
	customerId?: string;
	/** Subscription keys to include ('' is usage sent for the customer alone); all when absent. */
	subscriptionKeys?: readonly string[];
	/** First day, inclusive. */
	from: string;
	/** Day after the last, exclusive. */
	until: string;
	/** Dimension equalities on top of the metric's own filters. */
	dimensions?: Record<string, string>;
};

type Metric = Pick<BillableMetricRow, "code" | "aggregation" | "filters">;

/** The rows of a metric in scope (both aggregate tables share these columns). */
function scopeWhere(metric: Metric, scope: UsageScope): SQL {
	const parts: SQL[] = [
		sql`tenant_id = ${scope.tenantId}`,
		sql`metric_code = ${metric.code}`,
		sql`usage_date >= ${scope.from}`,
		sql`usage_date < ${scope.until}`,
	];
	if (scope.customerId) parts.push(sql`customer_id = ${scope.customerId}`);
	if (scope.subscriptionKeys)
		parts.push(
			scope.subscriptionKeys.length
				? sql`subscription_key in (${sql.join(
						scope.subscriptionKeys.map((k) => sql`${k}`),
						sql`, `,
					)})`
				: sql`0`,
		);
	for (const [key, values] of Object.entries(metric.filters))
		parts.push(
			sql`json_extract(dimensions, ${dimensionPath(key)}) in (${sql.join(
				values.map((v) => sql`${v}`),
				sql`, `,
			)})`,
		);
	for (const [key, value] of Object.entries(scope.dimensions ?? {}))
		parts.push(sql`json_extract(dimensions, ${dimensionPath(key)}) = ${value}`);
	return sql.join(parts, sql` and `);
}

/** A scalar SQL expression: the metric's value in scope, in millionths (0 without usage). */
export function metricValueSql(metric: Metric, scope: UsageScope): SQL {
	const where = scopeWhere(metric, scope);
	switch (metric.aggregation) {
		case "sum":
		case "count":
			return sql`(select coalesce(sum(sum_e6), 0) from usage_aggregates where ${where})`;
		case "max":
			return sql`(select coalesce(max(max_e6), 0) from usage_aggregates where ${where})`;
		case "last":
			return sql`coalesce((select last_e6 from usage_aggregates where ${where} and last_at is not null order by last_at desc limit 1), 0)`;
		case "unique_count":
			return sql`(select count(distinct value) * 1000000 from usage_unique_values where ${where})`;
	}
}

/** The metric's value in scope, in millionths. */
export async function metricValue(db: Database, metric: Metric, scope: UsageScope): Promise<bigint> {
	const row = await db.get<{ value: number | bigint | null }>(sql`select ${metricValueSql(metric, scope)} as value`);
	return BigInt(row?.value ?? 0);
}

export type UsageGrouping = { interval: "day" | "month" | "total"; dimensions: readonly string[] };

export type UsageRow = {
	metric: string;
	aggregation: BillableMetricRow["aggregation"];
	customer_id: string;
	period_start: string;
	period_end: string;
	dimensions: Record<string, string | null>;
	quantity: string;
	events: number | null;
};

/** A metric's usage in scope, per customer, per day/month (or the whole window) and per dimension value. */
export async function groupedUsage(
	db: Database,
	metric: Metric,
	scope: UsageScope,
	grouping: UsageGrouping,
): Promise<UsageRow[]> {
	const bucket =
		grouping.interval === "day"
			? sql`usage_date`
			: grouping.interval === "month"
				? sql`substr(usage_date, 1, 7) || '-01'`
				: sql`${scope.from}`;
	const dims = grouping.dimensions.map(
		(key, i) => sql`json_extract(dimensions, ${dimensionPath(key)}) as ${sql.raw(`d${i}`)}`,
	);
	const keys = sql.join([sql`customer_id`, sql`${bucket} as bucket`, ...dims], sql`, `);
	const groupCount = 2 + dims.length;
	const groupBy = sql.raw(Array.from({ length: groupCount }, (_, i) => String(i + 1)).join(", "));
	const where = scopeWhere(metric, scope);
	let query: SQL;
	switch (metric.aggregation) {
		case "sum":
		case "count":
			query = sql`select ${keys}, sum(sum_e6) as value, sum(events) as events from usage_aggregates where ${where} group by ${groupBy}`;
			break;
		case "max":
			query = sql`select ${keys}, max(max_e6) as value, sum(events) as events from usage_aggregates where ${where} group by ${groupBy}`;
			break;
		case "unique_count":
			query = sql`select ${keys}, count(distinct value) * 1000000 as value, null as events from usage_unique_values where ${where} group by ${groupBy}`;
			break;
		case "last": {
			// A window cannot name the select's aliases: it partitions by the same expressions.
			const partition = sql.join(
				[
					sql`customer_id`,
					bucket,
					...grouping.dimensions.map((key) => sql`json_extract(dimensions, ${dimensionPath(key)})`),
				],
				sql`, `,
			);
			query = sql`select * from (select ${keys}, last_e6 as value, null as events, row_number() over (partition by ${partition} order by last_at desc) as rn
				from usage_aggregates where ${where} and last_at is not null) where rn = 1`;
			break;
		}
	}
	const rows = await db.all<Record<string, string | number | null>>(sql`${query} order by 1, 2`);
	const lastDay = dayBefore(scope.until);
	return rows.map((row) => {
		const start = String(row.bucket);
		const end =
			grouping.interval === "day"
				? start
				: grouping.interval === "month"
					? dayBefore(addInterval(start, "month", 1, 1))
					: lastDay;
		return {
			metric: metric.code,
			aggregation: metric.aggregation,
			customer_id: String(row.customer_id),
			period_start: start,
			period_end: end < lastDay ? end : lastDay,
			dimensions: Object.fromEntries(
				grouping.dimensions.map((key, i) => [key, row[`d${i}`] === null ? null : String(row[`d${i}`])]),
			),
			quantity: formatE6(BigInt(row.value ?? 0)),
			events: row.events === null || row.events === undefined ? null : Number(row.events),
		};
	});
}
