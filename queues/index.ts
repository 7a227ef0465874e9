import { type Env, logLevelOf } from "../src/env";
import { createLogger } from "../src/lib/logger";
import { consumeJobs } from "./jobs";
import { consumeUsage, consumeUsageDeadLetters } from "./usage";
import { consumeWebhooks, consumeWebhooksDeadLetters } from "./webhooks";

type Consumer = (batch: MessageBatch, env: Env, ctx: ExecutionContext) => Promise<void>;

/** One consumer per queue, each idempotent by message or event id (delivery is at least once, unordered). */
const consumers: Partial<Record<string, Consumer>> = {
	jobs: consumeJobs,
	"usage-events": consumeUsage,
	"usage-events-dlq": consumeUsageDeadLetters,
	webhooks: consumeWebhooks,
	"webhooks-dlq": consumeWebhooksDeadLetters,
};

/**
 * Every queue's batches land here and go to the consumer named for the queue. A queue whose consumer
 * is not part of this deployment retries its messages, so they end in its dead-letter queue, never dropped.
 */
export async function handleQueueBatch(batch: MessageBatch, env: Env, ctx: ExecutionContext): Promise<void> {
	const consumer = consumers[batch.queue];
	if (consumer) return consumer(batch, env, ctx);
	createLogger({ queue: batch.queue }, logLevelOf(env)).warn(
		"no consumer for this queue; retrying toward the dead-letter queue",
		{
			messages: batch.messages.length,
		},
	);
	batch.retryAll({ delaySeconds: 60 });
}
