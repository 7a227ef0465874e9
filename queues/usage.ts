import { database } from "../src/db/client";
import { type Env, logLevelOf } from "../src/env";
import { systemClock } from "../src/lib/clock";
import { createLogger } from "../src/lib/logger";
import { type UsageMessage, usageMessage } from "../src/schemas/usage";
import { keepDeadLetteredUsage, recordUsageMessages } from "../src/services/usage/recordUsage";

/**
 * The `usage-events` queue: one D1 batch stores and aggregates every event of the batch's messages.
 * Should it fail, every message is retried (with growing delays) and, after the last retry, kept in
 * the dead-letter queue; a malformed message goes there directly, since no retry can fix it.
 */
export async function consumeUsage(batch: MessageBatch, env: Env): Promise<void> {
	const logger = createLogger({ queue: batch.queue }, logLevelOf(env));
	const messages: { message: Message; body: UsageMessage }[] = [];
	for (const message of batch.messages) {
		const parsed = usageMessage.safeParse(message.body);
		if (parsed.success) messages.push({ message, body: parsed.data });
		else {
			logger.error("malformed usage message", { message_id: message.id });
			message.retry({ delaySeconds: 0 });
		}
	}
	if (messages.length === 0) return;
	try {
		const outcome = await recordUsageMessages(
			database(env.DB),
			messages.map((m) => m.body),
			systemClock.now().toISOString(),
		);
		for (const { message } of messages) message.ack();
		logger.info("usage recorded", { messages: messages.length, ...outcome });
	} catch (error) {
		const attempts = Math.max(...messages.map((m) => m.message.attempts));
		logger.error("usage batch failed; retrying", { error: (error as Error).message, attempts });
		for (const { message } of messages) message.retry({ delaySeconds: Math.min(2 ** attempts, 300) });
	}
}

/**
 * `usage-events-dlq`: a message that exhausted its retries gets one more attempt at being recorded;
 * failing that (or malformed), its body is kept in usage_rejections, where it can be inspected and
 * sent again. Nothing that was acknowledged to a producer disappears.
 */
export async function consumeUsageDeadLetters(batch: MessageBatch, env: Env): Promise<void> {
	const db = database(env.DB);
	const logger = createLogger({ queue: batch.queue }, logLevelOf(env));
	const now = systemClock.now().toISOString();
	for (const message of batch.messages) {
		const parsed = usageMessage.safeParse(message.body);
		try {
			if (parsed.success) {
				await recordUsageMessages(db, [parsed.data], now);
				message.ack();
				continue;
			}
		} catch (error) {
			logger.error("dead-lettered usage still cannot be recorded; keeping it", { error: (error as Error).message });
		}
		try {
			await keepDeadLetteredUsage(db, message.body, {
				field: parsed.success ? "message" : "v",
				message: parsed.success
					? `dead-lettered after ${message.attempts} attempts`
					: "is not a usage message of schema v1",
				receivedAt: now,
			});
			message.ack();
		} catch (error) {
			logger.error("dead-lettered usage could not be kept; retrying", { error: (error as Error).message });
			message.retry({ delaySeconds: 60 });
		}
	}
}
