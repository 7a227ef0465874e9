import { and, eq, lte, ne } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type Database, runBatch } from "../../db/client";
import { jobs } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import type { Env } from "../../env";
import type { ServiceContext } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { type JobListQuery, type JobMessage, type JobType, presentJob } from "../../schemas/job";
import { changeStatements } from "../changeLog";
import { paginate } from "../pagination";

export type JobRow = typeof jobs.$inferSelect;

/** Errors kept on the job row; the full list goes to the job's result file. */
export const JOB_ERRORS_KEPT = 100;

/** A queued job and the statements that record it; the caller commits them, then enqueues. */
export function newJob(
	ctx: ServiceContext,
	type: JobType,
	input: unknown,
	id: string = newId("job"),
): { row: JobRow; statements: BatchItem<"sqlite">[] } {
	const now = ctx.clock.now().toISOString();
	const row: JobRow = {
		id,
		tenantId: ctx.tenantId,
		type,
		status: "queued",
		input,
		total: null,
		processed: 0,
		succeeded: 0,
		failed: 0,
		errors: [],
		result: null,
		resultKey: null,
		createdBy: ctx.actor.id,
		createdAt: now,
		updatedAt: now,
		finishedAt: null,
	};
	return {
		row,
		statements: [
			ctx.db.insert(jobs).values(row),
			...changeStatements(ctx, {
				action: "job.created",
				target: { type: "job", id: row.id },
				before: null,
				after: presentJob(row),
				event: null,
			}),
		],
	};
}

/** Hands a committed job to the queue. Should the send fail, the maintenance sweep sends it again. */
export const enqueueJob = (env: Env, row: Pick<JobRow, "id" | "tenantId">) =>
	env.JOBS.send({ v: 1, job_id: row.id, tenant_id: row.tenantId } satisfies JobMessage);

export async function loadJob(ctx: Pick<ServiceContext, "db" | "tenantId">, id: string): Promise<JobRow> {
	const row = await ctx.db
		.select()
		.from(jobs)
		.where(idInTenant(jobs, ctx.tenantId, id))
		.get();
	if (!row) throw notFound("job", id);
	return row;
}

/** Thrown at a canceled job's next checkpoint, so its runner stops there. */
export class JobCanceled extends Error {
	constructor(readonly jobId: string) {
		super(`Job ${jobId} was canceled.`);
		this.name = "JobCanceled";
	}
}

/**
 * A job's checkpoint. A job canceled meanwhile keeps its status and finish time but still records how
 * far it got, its result so far and its result file (what was done stays done and is reported), and
 * its runner stops with JobCanceled.
 */
export async function saveJobProgress(db: Database, row: JobRow) {
	const progress = {
		total: row.total,
		processed: row.processed,
		succeeded: row.succeeded,
		failed: row.failed,
		errors: row.errors.slice(0, JOB_ERRORS_KEPT),
		result: row.result,
		resultKey: row.resultKey,
		updatedAt: row.updatedAt,
	};
	const job = idInTenant(jobs, row.tenantId, row.id);
	const [saved] = await db.batch([
		db
			.update(jobs)
			.set({ ...progress, status: row.status, finishedAt: row.finishedAt })
			.where(and(job, ne(jobs.status, "canceled")))
			.returning({ id: jobs.id }),
		db
			.update(jobs)
			.set(progress)
			.where(and(job, eq(jobs.status, "canceled"))),
	]);
	if (saved.length === 0) throw new JobCanceled(row.id);
}

export const listJobs = ({ ctx, query }: { ctx: ServiceContext; query: JobListQuery }) =>
	paginate({
		query,
		idColumn: jobs.id,
		run: (page) =>
			ctx.db
				.select()
				.from(jobs)
				.where(
					and(
						eq(jobs.tenantId, ctx.tenantId),
						query.type ? eq(jobs.type, query.type) : undefined,
						query.status ? eq(jobs.status, query.status) : undefined,
						page.where,
					),
				)
				.orderBy(...page.orderBy)
				.limit(page.limit)
				.offset(page.offset),
		present: presentJob,
	});

/** Jobs still queued well after creation lost their queue message: send it again. */
export async function requeueStalledJobs(env: Env, db: Database, olderThan: Date): Promise<number> {
	const stalled = await db
		.select({ id: jobs.id, tenantId: jobs.tenantId })
		.from(jobs)
		.where(and(eq(jobs.status, "queued"), lte(jobs.updatedAt, olderThan.toISOString())))
		.limit(100);
	for (const job of stalled) await enqueueJob(env, job);
	return stalled.length;
}

/** Records a job and hands it to the queue: the usual start of every asynchronous operation. */
export async function startJob(ctx: ServiceContext, type: JobType, input: unknown) {
	const { row, statements } = newJob(ctx, type, input);
	await runBatch(ctx.db, statements);
	await enqueueJob(ctx.env, row);
	return row;
}
