// The attempts of queued sends (email deliveries, e-invoice submissions), whichever table records them: an
// attempt is claimed before anything leaves, so no two runs of one send overlap; its outcome is written only
// by the attempt that claimed it; and the maintenance sweep queues again what a lost message or a dead
// attempt left behind, so nothing acknowledged is ever lost.
import { and, eq, isNull, lte, or, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { documentDeliveries, einvoiceSubmissions } from "../../db/schema";
import {
	type RetryPolicy,
	retryDelaySeconds,
	secondsAfter,
	stalledBefore,
	stalledVerdict,
	triesAgain,
} from "../../domain/sendAttempts";
import type { Env } from "../../env";
import type { ServiceContext } from "../../lib/context";
import { AppError } from "../../lib/errors";
import type { JobMessage } from "../../schemas/job";

type SendTable = typeof documentDeliveries | typeof einvoiceSubmissions;

/** One kind of send: where its rows are, how often it is tried, and how its attempts are queued. */
export type SendKind = {
	table: SendTable;
	policy: RetryPolicy;
	/** The jobs queue message that runs one attempt at the send. */
	message: (tenantId: string, id: string) => JobMessage;
	/** How a send given up on records why. */
	failure: (reason: string) => Record<string, SQL | string>;
};

/** A send as an attempt or the sweep reads it. */
export type SendState = { id: string; attempts: number };

const ofSend = (table: SendTable, tenantId: string, id: string) => and(eq(table.tenantId, tenantId), eq(table.id, id));

/** An attempt's error outside the adapter's own failures: a refusal of the send (a 4xx AppError, e.g. its
 * document can no longer be rendered) is for good; anything else may pass. */
export const attemptFailure = (error: unknown) => ({
	permanent: error instanceof AppError && error.status < 500,
	message: error instanceof Error ? error.message : String(error),
});

/** Queues an attempt at a send on the jobs queue, after `delaySeconds` when given. */
export const queueAttempt = (env: Env, kind: SendKind, tenantId: string, id: string, delaySeconds = 0) =>
	env.JOBS.send(kind.message(tenantId, id), delaySeconds > 0 ? { delaySeconds } : undefined);

/**
 * Claims the next attempt at a queued send: its count moves on from the one read and it is marked running.
 * Two deliveries of one message (or a message and the sweep's) cannot both claim it; an attempt that died
 * can be claimed again once stalled. False when another run has it, or it is no longer queued.
 */
export async function claimAttempt(ctx: ServiceContext, kind: SendKind, send: SendState): Promise<boolean> {
	const { table } = kind;
	const now = ctx.clock.now();
	const claimed = await ctx.db
		.update(table)
		.set({
			attempts: send.attempts + 1,
			attemptStartedAt: now.toISOString(),
			nextAttemptAt: now.toISOString(),
			updatedAt: now.toISOString(),
		})
		.where(
			and(
				ofSend(table, ctx.tenantId, send.id),
				eq(table.status, "queued"),
				eq(table.attempts, send.attempts),
				or(isNull(table.attemptStartedAt), lte(table.attemptStartedAt, stalledBefore(now))),
			),
		)
		.returning({ id: table.id });
	return claimed.length > 0;
}

/** How an attempt went, with the columns it records (the provider's id, or the error). */
export type AttemptOutcome = {
	status: "sent" | "failed";
	/** For a failure: sending the same again cannot help. */
	permanent?: boolean;
	fields: Record<string, SQL | string | null>;
};

/**
 * Records how the claimed attempt number `attempts` went: sent, or a failure that is tried again after its
 * backoff unless it is `permanent` or was the last attempt. Nothing is written (nor queued) when the sweep
 * has since handed the send to a newer attempt.
 */
export async function finishAttempt(
	ctx: ServiceContext,
	kind: SendKind,
	send: SendState,
	outcome: AttemptOutcome,
): Promise<void> {
	const { table } = kind;
	const now = ctx.clock.now();
	const retry = outcome.status === "failed" && triesAgain(kind.policy, send.attempts, outcome.permanent ?? false);
	const status = retry ? ("queued" as const) : outcome.status;
	const delaySeconds = retryDelaySeconds(kind.policy, send.attempts);
	const recorded = await ctx.db
		.update(table)
		.set({
			...outcome.fields,
			status,
			attemptStartedAt: null,
			nextAttemptAt: retry ? secondsAfter(now, delaySeconds) : null,
			updatedAt: now.toISOString(),
		})
		.where(and(ofSend(table, ctx.tenantId, send.id), eq(table.attempts, send.attempts)))
		.returning({ id: table.id });
	if (retry && recorded.length > 0) await queueAttempt(ctx.env, kind, ctx.tenantId, send.id, delaySeconds);
}

/** How many overdue sends the sweep queued again, could not queue (the queue refused), and gave up on. */
export type SweepCount = { requeued: number; unqueued: number; failed: number };

/** Overdue sends the sweep takes per kind and run; the next run takes the rest. */
const SWEEP_LIMIT = 100;

/**
 * Queues again every send of `kind` overdue at `now` (its message lost, or its attempt dead), in any tenant,
 * with the backoff its attempts so far call for; one whose last attempt died fails with that reason. Each
 * row is taken over only as read, so an attempt that starts meanwhile keeps it.
 */
export async function sweepStalledSends(env: Env, db: Database, kind: SendKind, now: Date): Promise<SweepCount> {
	const { table } = kind;
	const stalled = await db
		.select({
			id: table.id,
			tenantId: table.tenantId,
			attempts: table.attempts,
			attemptStartedAt: table.attemptStartedAt,
			nextAttemptAt: table.nextAttemptAt,
		})
		.from(table)
		.where(and(eq(table.status, "queued"), lte(table.nextAttemptAt, stalledBefore(now))))
		.limit(SWEEP_LIMIT);
	const count: SweepCount = { requeued: 0, unqueued: 0, failed: 0 };
	for (const send of stalled) {
		const verdict = stalledVerdict(kind.policy, send);
		const asRead = and(
			ofSend(table, send.tenantId, send.id),
			eq(table.status, "queued"),
			eq(table.attempts, send.attempts),
			eq(table.nextAttemptAt, send.nextAttemptAt as string),
		);
		const base = { attemptStartedAt: null, updatedAt: now.toISOString() };
		if (verdict.action === "fail") {
			const failed = await db
				.update(table)
				.set({ ...kind.failure(verdict.reason), ...base, status: "failed", nextAttemptAt: null })
				.where(asRead)
				.returning({ id: table.id });
			count.failed += failed.length;
			continue;
		}
		const taken = await db
			.update(table)
			.set({ ...base, nextAttemptAt: secondsAfter(now, verdict.delaySeconds) })
			.where(asRead)
			.returning({ id: table.id });
		if (taken.length === 0) continue;
		try {
			await queueAttempt(env, kind, send.tenantId, send.id, verdict.delaySeconds);
			count.requeued += 1;
		} catch {
			// The queue refused it too: ten minutes past its new time it is overdue again, and a later sweep retries.
			count.unqueued += 1;
		}
	}
	return count;
}
