import { lte } from "drizzle-orm";
import { database } from "../db/client";
import { idempotencyKeys } from "../db/schema";
import type { Env } from "../env";
import { createLogger } from "../lib/logger";

export const MAINTENANCE_CRON = "*/5 * * * *";

/** Cron Triggers land here; each schedule names the jobs it runs. */
export async function runScheduled(cron: string, env: Env, scheduledTime: Date): Promise<void> {
	const logger = createLogger({ cron, scheduled_time: scheduledTime.toISOString() });
	switch (cron) {
		case MAINTENANCE_CRON: {
			const purged = await purgeExpiredIdempotencyKeys(env, scheduledTime);
			logger.info("maintenance finished", { idempotency_keys_purged: purged });
			return;
		}
		default:
			logger.warn("no job is scheduled for this cron expression");
	}
}

/** Idempotency keys are kept for 24 hours; after that a key may be reused and its row goes. */
export async function purgeExpiredIdempotencyKeys(env: Env, now: Date): Promise<number> {
	const result = await database(env.DB)
		.delete(idempotencyKeys)
		.where(lte(idempotencyKeys.expiresAt, now.toISOString()));
	return result.meta.changes;
}
