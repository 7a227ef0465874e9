// Usage jobs: counting events whose metric was defined after they arrived, rebuilding a window's
// aggregates from the stored events, and bulk NDJSON ingestion from R2.
import { and, eq, isNull, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type Database, rawStatement, runBatch } from "../../db/client";
import { billableMetrics, usageEvents } from "../../db/schema";
import { addInterval } from "../../domain/billingPeriods";
import { parseDecimal } from "../../domain/decimal";
import { eventWorth, USAGE_SCALE } from "../../domain/usage";
import type { ServiceContext } from "../../lib/context";
import { isNotNullViolation } from "../../lib/dbErrors";
import { newId } from "../../lib/ids";
import { usageEventInput } from "../../schemas/usage";
import { fieldErrorsOf } from "../../schemas/validation";
import { loadCustomer } from "../customers/loadCustomer";
import { type Importer, type ImportSource, lineErrorOf, type Outcome, runImport, startImport } from "../jobs/imports";
import { enqueueJob, type JobRow, newJob, saveJobProgress } from "../jobs/jobs";
import { anyLastMetric, loadTenantUsageContext, prepareEvent } from "./prepareUsage";
import { aggregateStatements, storeUsageStatements } from "./storeUsage";

export type UsageAggregateInput = { metric?: string; customer_id?: string; from?: string; to?: string };

export async function startUsageAggregation({ ctx, input }: { ctx: ServiceContext; input: UsageAggregateInput }) {
	if (input.customer_id) await loadCustomer(ctx, input.customer_id);
	const { row, statements } = newJob(ctx, "usage_aggregate", input);
	await runBatch(ctx.db, statements);
	await enqueueJob(ctx.env, row);
	return row;
}

const ACTIVATE_CHUNK = 500;

/**
 * Gives pending events (kept while their metric did not exist) their value and aggregates them, a
 * chunk per batch. The batch first checks that every chosen event is still pending, so two runs
 * racing over the same events cannot both count them. Returns how many events were counted.
 */
export async function activatePendingUsage(
	db: Database,
	tenantId: string,
	metricCode: string,
	maxChunks = Number.POSITIVE_INFINITY,
): Promise<number> {
	const metric = await db
		.select()
		.from(billableMetrics)
		.where(and(eq(billableMetrics.tenantId, tenantId), eq(billableMetrics.code, metricCode)))
		.get();
	if (!metric) return 0;
	let activated = 0;
	for (let chunk = 0; chunk < maxChunks; chunk++) {
		const pending = await db
			.select({
				eventId: usageEvents.eventId,
				kind: usageEvents.kind,
				quantity: usageEvents.quantity,
				properties: usageEvents.properties,
			})
			.from(usageEvents)
			.where(
				and(eq(usageEvents.tenantId, tenantId), eq(usageEvents.metricCode, metricCode), isNull(usageEvents.valueE6)),
			)
			.limit(ACTIVATE_CHUNK);
		if (pending.length === 0) break;
		const values = pending.map((e) => {
			const worth = eventWorth(metric, {
				kind: e.kind,
				quantity: parseDecimal(e.quantity, USAGE_SCALE) ?? { units: 0n, scale: 0 },
				properties: e.properties,
			});
			// An event its metric cannot read counts as nothing, and is still kept.
			return "problem" in worth ? [e.eventId, 0, null] : [e.eventId, worth.valueE6, worth.uniqueValue];
		});
		const json = JSON.stringify(values);
		const markId = newId("usageEvent");
		const chosen = sql`tenant_id = ${tenantId} and event_id in (select value ->> '$[0]' from json_each(${json}))`;
		const statements: BatchItem<"sqlite">[] = [
			// NOT NULL fails the whole batch when another run counted any of these events first.
			rawStatement(
				db,
				sql`insert into usage_ingest_marks (id, after_rowid) select ${markId},
				case when exists (select 1 from usage_events where ${chosen} and value_e6 is not null) then null else 0 end`,
			),
			rawStatement(
				db,
				sql`update usage_events set value_e6 = j.value ->> '$[1]', unique_value = j.value ->> '$[2]'
				from json_each(${json}) as j where usage_events.tenant_id = ${tenantId} and usage_events.event_id = j.value ->> '$[0]'`,
			),
			...aggregateStatements(db, chosen, {
				last: metric.aggregation === "last",
				unique: metric.aggregation === "unique_count",
			}),
			rawStatement(db, sql`delete from usage_ingest_marks where id = ${markId}`),
		];
		try {
			await runBatch(db, statements);
			activated += pending.length;
		} catch (error) {
			if (!isNotNullViolation(error)) throw error;
		}
	}
	return activated;
}

/** Metrics per sweep, and chunks per metric: the sweep stays short, and the next one goes on. */
const SWEEP_METRICS = 20;
const SWEEP_CHUNKS = 4;

/**
 * Counts pending events whose metric exists now. Creating a metric starts this as a job; the sweep
 * catches events that arrived in the moment between the consumer reading the metrics and writing.
 */
export async function sweepPendingUsage(db: Database): Promise<number> {
	const pending = await db
		.selectDistinct({ tenantId: usageEvents.tenantId, code: usageEvents.metricCode })
		.from(usageEvents)
		.innerJoin(
			billableMetrics,
			and(eq(billableMetrics.tenantId, usageEvents.tenantId), eq(billableMetrics.code, usageEvents.metricCode)),
		)
		.where(isNull(usageEvents.valueE6))
		.limit(SWEEP_METRICS);
	let activated = 0;
	for (const { tenantId, code } of pending) activated += await activatePendingUsage(db, tenantId, code, SWEEP_CHUNKS);
	return activated;
}

/** Rebuilds the aggregates of a window from the stored events, in one batch (as if recounted from scratch). */
function rebuildStatements(
	db: Database,
	tenantId: string,
	input: UsageAggregateInput & { from: string; until: string },
) {
	const where = sql.join(
		[
			sql`tenant_id = ${tenantId}`,
			sql`usage_date >= ${input.from}`,
			sql`usage_date < ${input.until}`,
			...(input.metric ? [sql`metric_code = ${input.metric}`] : []),
			...(input.customer_id ? [sql`customer_id = ${input.customer_id}`] : []),
		],
		sql` and `,
	);
	return [
		rawStatement(db, sql`delete from usage_aggregates where ${where}`),
		rawStatement(db, sql`delete from usage_unique_values where ${where}`),
		...aggregateStatements(db, where, { last: true, unique: true }),
	];
}

/** Defaults: the last 35 days up to today (UTC) when no window is given. */
export async function runUsageAggregation(ctx: ServiceContext, job: JobRow): Promise<void> {
	const input = job.input as UsageAggregateInput;
	const now = ctx.clock.now().toISOString();
	const pendingMetrics = await ctx.db
		.selectDistinct({ code: usageEvents.metricCode })
		.from(usageEvents)
		.innerJoin(
			billableMetrics,
			and(eq(billableMetrics.tenantId, usageEvents.tenantId), eq(billableMetrics.code, usageEvents.metricCode)),
		)
		.where(
			and(
				eq(usageEvents.tenantId, ctx.tenantId),
				isNull(usageEvents.valueE6),
				input.metric ? eq(usageEvents.metricCode, input.metric) : undefined,
			),
		);
	let activated = 0;
	for (const { code } of pendingMetrics) activated += await activatePendingUsage(ctx.db, ctx.tenantId, code);
	const to = input.to ?? now.slice(0, 10);
	const from = input.from ?? addInterval(to, "day", 1, -34);
	await runBatch(
		ctx.db,
		rebuildStatements(ctx.db, ctx.tenantId, { ...input, from, until: addInterval(to, "day", 1, 1) }),
	);
	await saveJobProgress(ctx.db, {
		...job,
		status: "succeeded",
		processed: 1,
		succeeded: 1,
		total: 1,
		result: {
			activated_events: activated,
			rebuilt: { from, to, metric: input.metric ?? null, customer_id: input.customer_id ?? null },
		},
		updatedAt: now,
		finishedAt: now,
	});
}

// ── Bulk ingestion ──────────────────────────────────────────────────────────────────────────────

export const MAX_USAGE_IMPORT_LINES = 1_000_000;

export const startUsageImport = ({ ctx, source }: { ctx: ServiceContext; source: ImportSource }) =>
	startImport(ctx, "usage_import", source);

/**
 * Usage imports store their events a chunk per batch. A record without an event_id gets one made of
 * the job and line number, so a resumed chunk counts once.
 */
export const usageImporter: Importer = {
	shape: { fields: Object.keys(usageEventInput.shape), integers: ["quantity"] },
	maxRecords: MAX_USAGE_IMPORT_LINES,
	chunkSize: 1_000,
	async importChunk(ctx, records, job) {
		const receivedAt = ctx.clock.now().toISOString();
		const outcomes = new Map<number, Outcome>();
		const parsed = records.flatMap(({ line, fields }) => {
			const result = usageEventInput.safeParse(fields);
			if (!result.success) {
				const errors = fieldErrorsOf(result.error.issues, "body");
				outcomes.set(line, lineErrorOf(line, "validation_failed", "The line is not a valid usage event.", errors));
				return [];
			}
			const event = {
				...result.data,
				event_id: result.data.event_id ?? `${job.id}:${line}`,
				timestamp: result.data.timestamp ?? receivedAt,
			};
			return [{ line, event }];
		});
		const context = await loadTenantUsageContext(
			ctx.db,
			ctx.tenantId,
			parsed.map((p) => p.event),
		);
		const stored = [];
		for (const { line, event } of parsed) {
			const prepared = context ? prepareEvent(context, event, receivedAt, ctx.actor.id) : null;
			if (prepared?.ok) {
				stored.push(prepared.event);
				outcomes.set(line, "created");
			} else {
				outcomes.set(
					line,
					lineErrorOf(line, "validation_failed", "The event cannot be accepted.", prepared?.errors ?? []),
				);
			}
		}
		if (context && stored.length)
			await runBatch(ctx.db, storeUsageStatements(ctx.db, stored, { anyLastMetric: anyLastMetric(context, stored) }));
		return records.map(({ line }) => outcomes.get(line) as Outcome);
	},
};

/** Runs (or resumes, from its last checkpoint) a usage import job. */
export const runUsageImport = (ctx: ServiceContext, job: JobRow) => runImport(ctx, job, usageImporter);
