// Sending one delivery: sign, POST, record the attempt. The queue decides when to try again.
import { eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { runBatch } from "../../db/client";
import { auditLog, outboxEvents, webhookAttempts, webhookDeliveries, webhookEndpoints } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import { retryDelaySeconds } from "../../domain/webhookTarget";
import type { Clock } from "../../lib/clock";
import { newId } from "../../lib/ids";
import { signedHeaders } from "../../lib/webhookSignature";
import { type EventRow, presentEvent } from "../../schemas/event";
import type { DeliveryRow, EndpointRow } from "../../schemas/webhook";
import { changeStatements } from "../changeLog";
import { eventAudit, eventColumns } from "../events/eventRows";

const TIMEOUT_MS = 10_000;
/** An endpoint failing this long, with at least this many failures in a row, is switched off. */
const DISABLE_AFTER_MS = 3 * 24 * 60 * 60 * 1000;
const DISABLE_AFTER_FAILURES = 20;

export type AttemptOutcome = { ok: boolean; statusCode: number | null; latencyMs: number; error: string | null };

/** POSTs a signed body; any 2xx is success, anything else (or no answer in time) is a failure. */
export async function post(
	endpoint: Pick<EndpointRow, "url" | "secret">,
	messageId: string,
	body: string,
	at: Date,
): Promise<AttemptOutcome> {
	const headers = {
		"content-type": "application/json",
		...(await signedHeaders(endpoint.secret, messageId, at, body)),
	};
	const started = performance.now();
	try {
		const response = await fetch(endpoint.url, {
			method: "POST",
			headers,
			body,
			signal: AbortSignal.timeout(TIMEOUT_MS),
			redirect: "manual",
		});
		const latencyMs = Math.round(performance.now() - started);
		await response.body?.cancel();
		const ok = response.status >= 200 && response.status < 300;
		return { ok, statusCode: response.status, latencyMs, error: ok ? null : `answered ${response.status}` };
	} catch (error) {
		return {
			ok: false,
			statusCode: null,
			latencyMs: Math.round(performance.now() - started),
			error: (error as Error).message,
		};
	}
}

export const deliveryBody = (event: EventRow) =>
	JSON.stringify({ type: event.type, timestamp: event.createdAt, data: presentEvent(event) });

export type DeliveryResult = "succeeded" | "retry" | "done";

/**
 * One attempt of one delivery. Returns whether the queue should retry it. A delivery that already
 * succeeded, or whose endpoint is gone or off, is done without sending.
 */
export async function attemptDelivery(
	db: Database,
	clock: Clock,
	tenantId: string,
	deliveryId: string,
	attempt: number,
): Promise<{ result: DeliveryResult; delaySeconds: number }> {
	const row = await db
		.select({ delivery: webhookDeliveries, endpoint: webhookEndpoints, event: eventColumns })
		.from(webhookDeliveries)
		.leftJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
		.innerJoin(outboxEvents, eq(outboxEvents.id, webhookDeliveries.eventId))
		.leftJoin(auditLog, eventAudit)
		.where(idInTenant(webhookDeliveries, tenantId, deliveryId))
		.get();
	if (!row || row.delivery.status === "succeeded") return { result: "done", delaySeconds: 0 };
	const { delivery, endpoint, event } = row;
	const now = clock.now();
	if (endpoint?.status !== "enabled") {
		await db
			.update(webhookDeliveries)
			.set({
				status: "failed",
				lastError: endpoint ? "the endpoint is disabled" : "the endpoint was deleted",
				updatedAt: now.toISOString(),
			})
			.where(idInTenant(webhookDeliveries, delivery.tenantId, delivery.id));
		return { result: "done", delaySeconds: 0 };
	}
	const outcome = await post(endpoint, delivery.id, deliveryBody(event), now);
	const at = now.toISOString();
	const delaySeconds = retryDelaySeconds(attempt);
	const attemptRow = {
		id: newId("webhookAttempt"),
		tenantId,
		deliveryId: delivery.id,
		attempt: delivery.attempts + 1,
		statusCode: outcome.statusCode,
		latencyMs: outcome.latencyMs,
		error: outcome.error,
		createdAt: at,
	};
	const deliveryUpdate: Partial<DeliveryRow> = outcome.ok
		? { status: "succeeded", succeededAt: at, nextRetryAt: null }
		: { status: "pending", nextRetryAt: new Date(now.getTime() + delaySeconds * 1000).toISOString() };
	const failingSince = endpoint.failingSince ?? at;
	const giveUp =
		!outcome.ok &&
		endpoint.consecutiveFailures + 1 >= DISABLE_AFTER_FAILURES &&
		now.getTime() - Date.parse(failingSince) >= DISABLE_AFTER_MS;
	await runBatch(db, [
		db.insert(webhookAttempts).values(attemptRow),
		db
			.update(webhookDeliveries)
			.set({
				...deliveryUpdate,
				attempts: sql`${webhookDeliveries.attempts} + 1` as unknown as number,
				lastStatusCode: outcome.statusCode,
				lastError: outcome.error,
				updatedAt: at,
			})
			.where(idInTenant(webhookDeliveries, delivery.tenantId, delivery.id)),
		db
			.update(webhookEndpoints)
			.set(
				outcome.ok
					? { consecutiveFailures: 0, failingSince: null }
					: {
							consecutiveFailures: sql`${webhookEndpoints.consecutiveFailures} + 1` as unknown as number,
							failingSince,
							...(giveUp
								? { status: "disabled" as const, disabledReason: `failing since ${failingSince}`, updatedAt: at }
								: {}),
						},
			)
			.where(idInTenant(webhookEndpoints, endpoint.tenantId, endpoint.id)),
		...(giveUp
			? changeStatements(
					{ db, tenantId, actor: { type: "system", id: "webhook-delivery" }, requestId: null, clock },
					{
						action: "webhook_endpoint.disabled",
						target: { type: "webhook_endpoint", id: endpoint.id },
						before: { status: "enabled" },
						after: { id: endpoint.id, url: endpoint.url, status: "disabled", failing_since: failingSince },
					},
				)
			: []),
	]);
	return { result: outcome.ok ? "succeeded" : "retry", delaySeconds };
}

/** A delivery whose queue retries ran out: its endpoint's log shows it, and it can be redelivered by hand. */
export async function markDeadLettered(db: Database, clock: Clock, tenantId: string, deliveryId: string) {
	await db
		.update(webhookDeliveries)
		.set({ status: "dead_lettered", nextRetryAt: null, updatedAt: clock.now().toISOString() })
		.where(idInTenant(webhookDeliveries, tenantId, deliveryId));
}
