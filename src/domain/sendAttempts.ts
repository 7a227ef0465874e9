// How a queued send (an email delivery, an e-invoice submission) is attempted again: with backoff after a
// failure that may pass, and by the maintenance sweep when its queue message or its attempt was lost.

/** How many attempts a send gets, and the first wait after a failed one (doubling up to an hour). */
export type RetryPolicy = { maxAttempts: number; baseDelaySeconds: number };

/**
 * A send overdue this long lost its queue message; an attempt running this long died (every adapter's
 * request times out long before).
 */
export const STALLED_AFTER_MS = 10 * 60_000;

const MAX_DELAY_SECONDS = 3600;

/** The wait before the attempt after attempt number `attempts`. */
export const retryDelaySeconds = (policy: RetryPolicy, attempts: number) =>
	Math.min(policy.baseDelaySeconds * 2 ** Math.max(0, attempts - 1), MAX_DELAY_SECONDS);

/** After a failed attempt: try again later, unless the failure is for good or this was the last attempt. */
export const triesAgain = (policy: RetryPolicy, attempts: number, permanent: boolean) =>
	!permanent && attempts < policy.maxAttempts;

/** A queued send as the sweep finds it: its attempts so far, and when an attempt still marked running began. */
export type StalledSend = { attempts: number; attemptStartedAt: string | null };

export type StalledVerdict = { action: "requeue"; delaySeconds: number } | { action: "fail"; reason: string };

/**
 * What the sweep does with an overdue send: one whose message was lost is queued again at once; one whose
 * attempt died counts that attempt, waits its backoff and is queued again, or fails once it was the last.
 */
export function stalledVerdict(policy: RetryPolicy, send: StalledSend): StalledVerdict {
	if (send.attemptStartedAt === null) return { action: "requeue", delaySeconds: 0 };
	if (send.attempts >= policy.maxAttempts) {
		return {
			action: "fail",
			reason: `attempt ${send.attempts} of ${policy.maxAttempts}, begun at ${send.attemptStartedAt}, never finished`,
		};
	}
	return { action: "requeue", delaySeconds: retryDelaySeconds(policy, send.attempts) };
}

/** The time `seconds` after `now`, as stored. */
export const secondsAfter = (now: Date, seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();

/** Attempts begun at or before this time (and sends due by it) are stalled at `now`. */
export const stalledBefore = (now: Date) => new Date(now.getTime() - STALLED_AFTER_MS).toISOString();
