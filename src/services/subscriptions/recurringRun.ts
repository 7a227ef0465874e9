// The recurring engine: a run finds the accounts with periods due and fans them out over queue messages
// of a few accounts each; each account's Durable Object bills its own subscriptions, so accounts bill in
// parallel and no subscription is billed twice.
import { and, asc, count, countDistinct, eq, gt, gte, inArray, lte, min, or, sql } from "drizzle-orm";
import { callAccount } from "../../../durable-objects/account/client";
import type { BillingOutcome } from "../../../durable-objects/account/contract";
import { chunked, inJsonArray } from "../../db/chunks";
import type { Database } from "../../db/client";
import { customers, invoices, jobItems, jobs, subscriptionInvoices, subscriptions, tenants } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import { addInterval, localDate } from "../../domain/billingPeriods";
import type { ServiceContext } from "../../lib/context";
import type { JobMessage } from "../../schemas/job";
import { JOB_ERRORS_KEPT, type JobRow, saveJobProgress, startJob } from "../jobs/jobs";
import { tenantToday } from "../settings/settings";
import { BILLABLE_STATUSES, dueSubscriptionsWhere } from "./loadSubscription";

const FAN_OUT_PAGE = 500;
const SEND_BATCH = 100;
/** Accounts one queue message bills side by side, each in its own account object. */
const ACCOUNTS_PER_MESSAGE = 10;

export type RecurringInput = { date: string; from?: string };

export const startRecurringRun = (ctx: ServiceContext, input: RecurringInput) => startJob(ctx, "recurring_run", input);

/**
 * The subscriptions a run visits: those with a period due, and those whose standing may change —
 * past due or unpaid, or with an invoice now overdue.
 */
const dueWhere = (tenantId: string, input: RecurringInput) =>
	and(
		// Customers on a test clock are billed when their clock advances, never by a run.
		sql`not exists (select 1 from ${customers} where ${customers.id} = ${subscriptions.customerId} and ${customers.testClockId} is not null)`,
		or(
			and(
				dueSubscriptionsWhere(tenantId, input.date),
				input.from ? gte(subscriptions.nextBillingDate, input.from) : undefined,
			),
			and(
				eq(subscriptions.tenantId, tenantId),
				inArray(subscriptions.status, ["active", "past_due", "unpaid"]),
				or(
					inArray(subscriptions.status, ["past_due", "unpaid"]),
					sql`exists (select 1 from ${subscriptionInvoices} join ${invoices} on ${invoices.id} = ${subscriptionInvoices.invoiceId}
						where ${subscriptionInvoices.subscriptionId} = ${subscriptions.id}
						and ${invoices.status} in ('issued', 'partially_paid') and ${invoices.dueDate} < ${input.date})`,
				),
			),
		),
	);

/** Counts the due accounts, then sends `bill_accounts` messages of a few accounts each, a page at a time. */
export async function runRecurringRun(ctx: ServiceContext, job: JobRow): Promise<void> {
	const input = job.input as RecurringInput;
	const total = await ctx.db
		.select({ n: countDistinct(subscriptions.customerId) })
		.from(subscriptions)
		.where(dueWhere(ctx.tenantId, input))
		.get();
	const accounts = total?.n ?? 0;
	const at = ctx.clock.now().toISOString();
	if (accounts === 0) {
		await saveJobProgress(ctx.db, {
			...job,
			status: "succeeded",
			total: 0,
			result: { invoices: 0 },
			updatedAt: at,
			finishedAt: at,
		});
		return;
	}
	await saveJobProgress(ctx.db, { ...job, status: "running", total: accounts, updatedAt: at });
	let after = "";
	for (;;) {
		const page = await ctx.db
			.selectDistinct({ customerId: subscriptions.customerId })
			.from(subscriptions)
			.where(and(dueWhere(ctx.tenantId, input), after ? gt(subscriptions.customerId, after) : undefined))
			.orderBy(asc(subscriptions.customerId))
			.limit(FAN_OUT_PAGE);
		const messages = chunked(page, ACCOUNTS_PER_MESSAGE).map((accounts) => ({
			body: {
				v: 1,
				kind: "bill_accounts",
				job_id: job.id,
				tenant_id: ctx.tenantId,
				customer_ids: accounts.map((row) => row.customerId),
				date: input.date,
			} satisfies JobMessage,
		}));
		for (const batch of chunked(messages, SEND_BATCH)) await ctx.env.JOBS.sendBatch(batch);
		if (page.length < FAN_OUT_PAGE) break;
		after = page.at(-1)?.customerId as string;
	}
}

/**
 * Accounts of a run: each account's object bills every due period, the accounts side by side, and
 * those billed count as done. A message delivered again bills only the accounts it has not counted,
 * so each counts once; should an account fail, the others are counted and the message is retried.
 */
export async function billAccounts(
	ctx: ServiceContext,
	message: { job_id: string; customer_ids: string[]; date: string },
): Promise<void> {
	const counted = await ctx.db
		.select({ customerId: jobItems.itemKey })
		.from(jobItems)
		.where(and(eq(jobItems.jobId, message.job_id), inJsonArray(jobItems.itemKey, message.customer_ids)));
	const done = new Set(counted.map((row) => row.customerId));
	const pending = message.customer_ids.filter((customerId) => !done.has(customerId));
	const today = await tenantToday(ctx);
	const settled = await Promise.allSettled(
		pending.map((customerId) => callAccount(ctx, customerId, "billDue", { customerId, date: message.date, today })),
	);
	const billed = pending.flatMap((customerId, i) => {
		const result = settled[i] as PromiseSettledResult<BillingOutcome>;
		return result.status === "fulfilled" ? [{ customerId, outcome: result.value }] : [];
	});
	if (billed.length > 0) await countAccountsBilled(ctx, message.job_id, billed);
	const failure = settled.find((result) => result.status === "rejected");
	if (failure) throw failure.reason;
}

/** Marks accounts of a run done and adds what they billed; the run succeeds with its last account. */
async function countAccountsBilled(
	ctx: ServiceContext,
	jobId: string,
	billed: { customerId: string; outcome: BillingOutcome }[],
) {
	const now = ctx.clock.now().toISOString();
	const done = sql`(select count(*) from ${jobItems} where ${jobItems.jobId} = ${jobId})`;
	const failures = billed.flatMap((b) => b.outcome.errors);
	// The job's errors and these after them, the first JOB_ERRORS_KEPT kept, as every job reports them.
	const errors = sql`(select json_group_array(json(value)) from (
		select value from (
			select 0 as part, key, value from json_each(${jobs.errors})
			union all select 1, key, value from json_each(${JSON.stringify(failures)})
		) order by part, key limit ${JOB_ERRORS_KEPT}
	))`;
	const sum = (of: (outcome: BillingOutcome) => number) => billed.reduce((n, b) => n + of(b.outcome), 0);
	await ctx.db.batch([
		ctx.db
			.insert(jobItems)
			.values(billed.map((b) => ({ jobId, itemKey: b.customerId, createdAt: now })))
			.onConflictDoNothing(),
		ctx.db
			.update(jobs)
			.set({
				processed: done as unknown as number,
				succeeded: sql`${jobs.succeeded} + ${sum((o) => o.billed.length)}` as unknown as number,
				failed: sql`${jobs.failed} + ${sum((o) => o.errors.length)}` as unknown as number,
				errors: (failures.length > 0 ? errors : sql`${jobs.errors}`) as unknown as unknown[],
				// A canceled run stays canceled: its remaining accounts are skipped, what was billed is counted.
				status:
					sql`case when ${done} >= ${jobs.total} and ${jobs.status} <> 'canceled' then 'succeeded' else ${jobs.status} end` as unknown as "running",
				finishedAt:
					sql`case when ${done} >= ${jobs.total} and ${jobs.status} <> 'canceled' then ${now} else ${jobs.finishedAt} end` as unknown as string,
				updatedAt: now,
			})
			.where(idInTenant(jobs, ctx.tenantId, jobId)),
	]);
}

/** Minutes past each hour at which the recurring cron fires. */
export const RUN_MINUTE = 15;

/**
 * The hourly cron: one run for each tenant with periods due by its own business date, so a tenant is
 * billed within the hour after midnight in its time zone. Runs bill each period once, so a tenant whose
 * due subscriptions failed is simply retried the next hour.
 */
export async function startDueRuns(
	db: Database,
	now: Date,
	makeCtx: (tenantId: string) => ServiceContext,
): Promise<number> {
	// No zone is more than 14 hours ahead of UTC: nothing due later than tomorrow (UTC) can be due anywhere.
	const latest = localDate(now, "Etc/GMT-14");
	const candidates = await db
		.select({
			tenantId: subscriptions.tenantId,
			timeZone: tenants.timeZone,
			earliest: min(subscriptions.nextBillingDate),
		})
		.from(subscriptions)
		.innerJoin(tenants, eq(tenants.id, subscriptions.tenantId))
		.where(and(inArray(subscriptions.status, BILLABLE_STATUSES), lte(subscriptions.nextBillingDate, latest)))
		.groupBy(subscriptions.tenantId);
	let started = 0;
	for (const { tenantId, timeZone, earliest } of candidates) {
		const date = localDate(now, timeZone);
		if (earliest === null || earliest > date) continue;
		await startRecurringRun(makeCtx(tenantId), { date });
		started += 1;
	}
	return started;
}

/** The next instant the recurring cron fires after `now`. */
export function nextRunAt(now: Date): string {
	const next = new Date(now);
	next.setUTCMinutes(RUN_MINUTE, 0, 0);
	if (next <= now) next.setUTCHours(next.getUTCHours() + 1);
	return next.toISOString();
}

/** What the next runs will bill: due counts by the tenant's business day for the coming month. */
export async function recurringCycles(ctx: ServiceContext) {
	const today = await tenantToday(ctx);
	const horizon = addInterval(today, "day", 1, 30);
	const rows = await ctx.db
		.select({ date: subscriptions.nextBillingDate, n: count() })
		.from(subscriptions)
		.where(dueSubscriptionsWhere(ctx.tenantId, horizon))
		.groupBy(subscriptions.nextBillingDate)
		.orderBy(asc(subscriptions.nextBillingDate));
	const dueBy = (date: string) => rows.filter((r) => (r.date ?? "") <= date).reduce((s, r) => s + r.n, 0);
	const in7 = addInterval(today, "day", 1, 7);
	return {
		object: "recurring_cycles" as const,
		next_run_at: nextRunAt(ctx.clock.now()),
		due_now: dueBy(today),
		due_within_7_days: dueBy(in7),
		upcoming: rows.map((r) => ({ date: r.date as string, subscriptions: r.n })),
	};
}
