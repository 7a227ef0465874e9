import { handleQueueBatch } from "../queues";
import app from "./app";
import { runScheduled } from "./cron/scheduled";
import type { Env } from "./env";

export { AccountDO } from "../durable-objects/account/object";

export default {
	fetch: app.fetch,
	queue: handleQueueBatch,
	scheduled: (controller, env, ctx) =>
		ctx.waitUntil(runScheduled(controller.cron, env, new Date(controller.scheduledTime))),
} satisfies ExportedHandler<Env>;
