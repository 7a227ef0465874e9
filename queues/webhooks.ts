import { database } from "../src/db/client";
import { type Env, logLevelOf } from "../src/env";
import { systemClock } from "../src/lib/clock";
import { createLogger } from "../src/lib/logger";
import { webhookMessage } from "../src/schemas/event";
import { requestIssuedDocuments } from "../src/services/documents/issuedDocuments";
import { markDispatched, markUndispatched, pendingEventsOfRequests } from "../src/services/events/events";
import { attemptDelivery, markDeadLettered } from "../src/services/webhooks/deliver";
import { fanOut, fanOutEvents } from "../src/services/webhooks/fanOut";

/**
 * The `webhooks` queue carries three kinds of message: a request whose committed events are to be fanned
 * out (sent after every mutation), one event to fan out (sent by the outbox sweep), and one delivery to
 * attempt. A batch's requests are handled together: their events are read in one round trip, fanned
 * out, then marked dispatched — a crash in between re-sends nothing twice, as fan-out is idempotent. A
 * failed attempt is retried by the queue with a growing delay; after the last retry the message goes
 * to `webhooks-dlq`.
 */
export async function consumeWebhooks(batch: MessageBatch, env: Env): Promise<void> {
	const db = database(env.DB);
	const logger = createLogger({ queue: batch.queue }, logLevelOf(env));
	const requests: { message: Message; tenantId: string; requestId: string }[] = [];
	for (const message of batch.messages) {
		const parsed = webhookMessage.safeParse(message.body);
		if (!parsed.success) {
			logger.error("malformed webhook message; sending it to the dead-letter queue", { body: message.body });
			message.retry({ delaySeconds: 0 });
			continue;
		}
		const body = parsed.data;
		if (body.kind === "request") {
			requests.push({ message, tenantId: body.tenant_id, requestId: body.request_id });
			continue;
		}
		try {
			if (body.kind === "event") {
				await fanOut(env, db, body.tenant_id, body.event_id, systemClock.now());
				message.ack();
				continue;
			}
			const { result, delaySeconds } = await attemptDelivery(
				db,
				systemClock,
				body.tenant_id,
				body.delivery_id,
				message.attempts,
			);
			if (result === "retry") message.retry({ delaySeconds });
			else message.ack();
		} catch (error) {
			logger.error("webhook message failed; retrying", { error: (error as Error).message, attempts: message.attempts });
			message.retry({ delaySeconds: Math.min(2 ** message.attempts, 300) });
		}
	}
	if (requests.length === 0) return;
	try {
		const events = await pendingEventsOfRequests(db, requests);
		await fanOutEvents(env, db, events, systemClock.now());
		await requestIssuedDocuments(env, events);
		await markDispatched(
			db,
			events.map((e) => e.id),
		);
		for (const { message } of requests) message.ack();
	} catch (error) {
		logger.error("fanning out requests' events failed; retrying", { error: (error as Error).message });
		for (const { message } of requests) message.retry({ delaySeconds: Math.min(2 ** message.attempts, 300) });
	}
}

/**
 * Messages that ran out of retries. A delivery is marked dead-lettered, so its endpoint's log shows
 * it (and it can be redelivered by hand); an event that could not be fanned out is put back for the
 * outbox sweep, which also finds the events of a request that could not be (they were never marked).
 */
export async function consumeWebhooksDeadLetters(batch: MessageBatch, env: Env): Promise<void> {
	const db = database(env.DB);
	for (const message of batch.messages) {
		const parsed = webhookMessage.safeParse(message.body);
		if (parsed.success && parsed.data.kind === "delivery") {
			await markDeadLettered(db, systemClock, parsed.data.tenant_id, parsed.data.delivery_id);
		} else if (parsed.success && parsed.data.kind === "request") {
			// Its events are still undispatched: the outbox sweep sends them.
		} else if (parsed.success && parsed.data.kind === "event") {
			await markUndispatched(db, parsed.data.tenant_id, parsed.data.event_id);
		} else {
			createLogger({ queue: batch.queue }, logLevelOf(env)).error("malformed dead letter dropped after logging", {
				body: message.body,
			});
		}
		message.ack();
	}
}
