// The one write path of usage: events (from the queue, bulk files or adjustments) are inserted in
// bulk, duplicates ignored by their primary key, and only the rows this batch really inserted are
// folded into the daily aggregates — all in one D1 batch, so a retry can neither lose nor double them.
import { type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type Database, insertRows, rawStatement } from "../../db/client";
import { usageEvents } from "../../db/schema";
import { newId } from "../../lib/ids";

/** An event as usage_events stores it, every column given (null where it has no value). */
export type StoredEvent = Required<typeof usageEvents.$inferInsert>;

/** Folds the selected events (rows of usage_events matching `where`) into the daily aggregates. */
export function aggregateStatements(db: Database, where: SQL, opts: { last: boolean; unique: boolean }) {
	const keys = sql`tenant_id, customer_id, metric_code, usage_date, coalesce(subscription_id, ''), dimensions`;
	const statements: BatchItem<"sqlite">[] = [
		rawStatement(
			db,
			sql`insert into usage_aggregates (tenant_id, customer_id, metric_code, usage_date, subscription_key, dimensions, events, sum_e6, max_e6)
			select ${keys}, count(*), sum(value_e6), max(case when kind = 'event' then value_e6 end)
			from usage_events where ${where} and value_e6 is not null group by 1, 2, 3, 4, 5, 6
			on conflict do update set events = events + excluded.events, sum_e6 = sum_e6 + excluded.sum_e6,
				max_e6 = case when max_e6 is null or excluded.max_e6 > max_e6 then excluded.max_e6 else max_e6 end`,
		),
	];
	// SQLite takes a bare column from the row holding the single max(): the value of the latest event.
	if (opts.last)
		statements.push(
			rawStatement(
				db,
				sql`insert into usage_aggregates (tenant_id, customer_id, metric_code, usage_date, subscription_key, dimensions, events, sum_e6, last_e6, last_at)
				select ${keys}, 0, 0, value_e6, max(timestamp)
				from usage_events where ${where} and value_e6 is not null and kind = 'event' group by 1, 2, 3, 4, 5, 6
				on conflict do update set
					last_e6 = case when last_at is null or excluded.last_at >= last_at then excluded.last_e6 else last_e6 end,
					last_at = case when last_at is null or excluded.last_at >= last_at then excluded.last_at else last_at end`,
			),
		);
	if (opts.unique)
		statements.push(
			rawStatement(
				db,
				sql`insert or ignore into usage_unique_values (tenant_id, customer_id, metric_code, usage_date, subscription_key, dimensions, value)
				select distinct ${keys}, unique_value from usage_events where ${where} and unique_value is not null`,
			),
		);
	// Usage landing in a period that was invoiced already: the subscription's next invoice bills the difference.
	statements.push(
		rawStatement(
			db,
			sql`insert or ignore into usage_late_periods (tenant_id, subscription_id, metric_code, period_start, period_end)
			select distinct c.tenant_id, c.subscription_id, c.metric_code, c.period_start, c.period_end
			from usage_events e join subscription_usage_charges c
				on c.tenant_id = e.tenant_id and c.customer_id = e.customer_id and c.metric_code = e.metric_code
				and c.kind = 'charge' and c.period_start <= e.usage_date and e.usage_date < c.period_end
				and (e.subscription_id is null or e.subscription_id = c.subscription_id)
			where e.rowid in (select rowid from usage_events where ${where}) and e.value_e6 is not null`,
		),
	);
	return statements;
}

/**
 * Stores events and aggregates the new ones. A mark records the table's last rowid before the
 * inserts; rows after it are exactly the events this batch added (a duplicate is never inserted).
 */
export function storeUsageStatements(
	db: Database,
	events: readonly StoredEvent[],
	opts: { anyLastMetric: boolean },
): BatchItem<"sqlite">[] {
	if (events.length === 0) return [];
	const markId = newId("usageEvent");
	return [
		rawStatement(
			db,
			sql`insert into usage_ingest_marks (id, after_rowid) select ${markId}, coalesce(max(rowid), 0) from usage_events`,
		),
		// A replayed event (the queue delivers at least once) is skipped by its primary key.
		...insertRows(db, usageEvents, events, { ignoreDuplicates: true }),
		...aggregateStatements(db, sql`rowid > (select after_rowid from usage_ingest_marks where id = ${markId})`, {
			last: opts.anyLastMetric,
			unique: events.some((e) => e.uniqueValue !== null),
		}),
		rawStatement(db, sql`delete from usage_ingest_marks where id = ${markId}`),
	];
}
