import { inArray, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { loginFailures } from "../../db/schema";
import { AppError } from "../../lib/errors";

const WINDOW_SECONDS = 15 * 60;
/** Failures allowed per window: few per account, more per address (offices share one). */
const LIMITS = { email: 5, ip: 50 } as const;

export type LoginSubjects = { email: string; ip: string };

export const loginSubjects = (tenantId: string, email: string, ip: string): LoginSubjects => ({
	email: `email:${tenantId}:${email}`,
	ip: `ip:${ip}`,
});

const windowStart = (now: Date) => new Date(now.getTime() - WINDOW_SECONDS * 1000).toISOString();

/** Refuses with 429 while either subject has used up its failures in the current window. */
export async function assertNotThrottled(db: Database, subjects: LoginSubjects, now: Date) {
	const rows = await db
		.select()
		.from(loginFailures)
		.where(inArray(loginFailures.subject, [subjects.email, subjects.ip]))
		.all();
	const cutoff = windowStart(now);
	for (const row of rows) {
		const limit = row.subject === subjects.email ? LIMITS.email : LIMITS.ip;
		if (row.windowStartedAt > cutoff && row.failures >= limit) {
			const retryAfter = Math.max(1, Math.ceil((Date.parse(row.windowStartedAt) - Date.parse(cutoff)) / 1000));
			throw new AppError("rate_limited", "Too many failed sign-ins; try again later.", {
				headers: { "Retry-After": String(retryAfter) },
			});
		}
	}
}

/** Counts a failure against both subjects; a window that has passed starts again at one. */
export async function recordLoginFailure(db: Database, subjects: LoginSubjects, now: Date) {
	const cutoff = windowStart(now);
	const stale = sql`${loginFailures.windowStartedAt} <= ${cutoff}`;
	await db
		.insert(loginFailures)
		.values(
			[subjects.email, subjects.ip].map((subject) => ({ subject, failures: 1, windowStartedAt: now.toISOString() })),
		)
		.onConflictDoUpdate({
			target: loginFailures.subject,
			set: {
				failures: sql`case when ${stale} then 1 else ${loginFailures.failures} + 1 end`,
				windowStartedAt: sql`case when ${stale} then excluded.window_started_at else ${loginFailures.windowStartedAt} end`,
			},
		});
}

/** A successful sign-in clears the account's count (not the address's). */
export async function clearLoginFailures(db: Database, subjects: LoginSubjects) {
	await db.delete(loginFailures).where(inArray(loginFailures.subject, [subjects.email]));
}
