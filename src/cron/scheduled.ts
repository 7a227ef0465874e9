import { database } from "../db/client";
import { type Env, logLevelOf } from "../env";
import { systemClock } from "../lib/clock";
import { purgeExpiredKeys } from "../lib/idempotency";
import { createLogger } from "../lib/logger";
import { EMAILS } from "../services/deliveries/emailDeliveries";
import { sweepStalledSends } from "../services/deliveries/sendAttempts";
import { startDailyDunningRuns } from "../services/dunning/startDailyRuns";
import { SUBMISSIONS } from "../services/einvoices/submitEInvoice";
import { dispatchEvents } from "../services/events/events";
import { requeueStalledJobs } from "../services/jobs/jobs";
import { RUN_MINUTE, startDueRuns } from "../services/subscriptions/recurringRun";
import { sweepPendingUsage } from "../services/usage/usageJobs";

export const MAINTENANCE_CRON = "*/5 * * * *";
export const RECURRING_CRON = `${RUN_MINUTE} * * * *`;
/** Daily at 10:45 UTC, dunning as of each tenant's own date (UTC's date in every zone from UTC−10 to UTC+13). */
export const DUNNING_CRON = "45 10 * * *";
/** A job still queued this long after its last update lost its queue message. */
const STALLED_AFTER_MS = 5 * 60 * 1000;
/** Events normally leave with their request; one still here after a minute lost its queue send. */
const UNDISPATCHED_AFTER_MS = 60 * 1000;

/** Cron Triggers land here; each schedule names the jobs it runs. */
export async function runScheduled(cron: string, env: Env, scheduledTime: Date): Promise<void> {
	const logger = createLogger({ cron, scheduled_time: scheduledTime.toISOString() }, logLevelOf(env));
	switch (cron) {
		case MAINTENANCE_CRON: {
			const db = database(env.DB);
			const purged = await purgeExpiredKeys(db, scheduledTime);
			const requeued = await requeueStalledJobs(env, db, new Date(scheduledTime.getTime() - STALLED_AFTER_MS));
			const dispatched = await dispatchEvents(env, db, {
				createdBefore: new Date(scheduledTime.getTime() - UNDISPATCHED_AFTER_MS).toISOString(),
			});
			const usageCounted = await sweepPendingUsage(db);
			// Emails and e-invoice submissions whose queue message or attempt was lost are sent again.
			const emails = await sweepStalledSends(env, db, EMAILS, scheduledTime);
			const submissions = await sweepStalledSends(env, db, SUBMISSIONS, scheduledTime);
			logger.info("maintenance finished", {
				idempotency_keys_purged: purged,
				pending_usage_counted: usageCounted,
				jobs_requeued: requeued,
				events_dispatched: dispatched,
				stalled_emails: emails,
				stalled_einvoice_submissions: submissions,
			});
			return;
		}
		case RECURRING_CRON: {
			const runs = await startDueRuns(database(env.DB), scheduledTime, (tenantId) => ({
				db: database(env.DB),
				env,
				tenantId,
				actor: { type: "system", id: "recurring-billing" },
				requestId: null,
				clock: systemClock,
				logger,
			}));
			logger.info("recurring runs started", { tenants: runs });
			return;
		}
		case DUNNING_CRON: {
			const runs = await startDailyDunningRuns(database(env.DB), scheduledTime, (tenantId) => ({
				db: database(env.DB),
				env,
				tenantId,
				actor: { type: "system", id: "dunning" },
				requestId: null,
				clock: systemClock,
				logger,
			}));
			logger.info("dunning runs started", { tenants: runs });
			return;
		}
		default:
			logger.warn("no job is scheduled for this cron expression");
	}
}
