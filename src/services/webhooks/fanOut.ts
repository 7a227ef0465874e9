import { and, eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { chunked } from "../../db/chunks";
import { type Database, runBatch } from "../../db/client";
import { outboxEvents, webhookDeliveries, webhookEndpoints } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import type { Env } from "../../env";
import { newId } from "../../lib/ids";
import type { WebhookMessage } from "../../schemas/event";

/** What fan-out needs of an event: not its payload, which a delivery reads when it is attempted. */
export const fannedOutColumns = {
	id: outboxEvents.id,
	tenantId: outboxEvents.tenantId,
	type: outboxEvents.type,
	resourceId: outboxEvents.resourceId,
};
export type FannedOutEvent = { id: string; tenantId: string; type: string; resourceId: string };

/** Queues take at most 100 messages per sendBatch; delivery rows are written in batches as large. */
const CHUNK = 100;

/**
 * Each event reaches its tenant's enabled endpoints that subscribe to its type (or to `*`): one
 * delivery row per (endpoint, event) — created once, however often the event is fanned out — and one
 * queue message for each delivery this call created. Endpoints are read once per tenant and every
 * delivery row is written in batches of CHUNK statements, however many events there are.
 */
export async function fanOutEvents(env: Env, db: Database, events: FannedOutEvent[], now: Date): Promise<number> {
	const tenants = [...new Set(events.map((e) => e.tenantId))];
	if (tenants.length === 0) return 0;
	const endpointLists = await runBatch(
		db,
		tenants.map((tenantId) =>
			db
				.select()
				.from(webhookEndpoints)
				.where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.status, "enabled"))),
		),
	);
	const endpointsOf = new Map(tenants.map((tenantId, i) => [tenantId, endpointLists[i] ?? []]));
	const at = now.toISOString();
	const inserts: BatchItem<"sqlite">[] = [];
	for (const event of events) {
		for (const endpoint of endpointsOf.get(event.tenantId) ?? []) {
			if (!endpoint.events.includes("*") && !endpoint.events.includes(event.type)) continue;
			inserts.push(
				db
					.insert(webhookDeliveries)
					.values({
						id: newId("webhookDelivery"),
						tenantId: event.tenantId,
						endpointId: endpoint.id,
						eventId: event.id,
						eventType: event.type,
						status: "pending",
						createdAt: at,
						updatedAt: at,
					})
					.onConflictDoNothing({ target: [webhookDeliveries.endpointId, webhookDeliveries.eventId] })
					.returning({ id: webhookDeliveries.id, tenantId: webhookDeliveries.tenantId }),
			);
		}
	}
	const created: { id: string; tenantId: string }[] = [];
	for (const chunk of chunked(inserts, CHUNK)) {
		created.push(...((await runBatch(db, chunk)) as { id: string; tenantId: string }[][]).flat());
	}
	for (const chunk of chunked(created, CHUNK)) {
		await env.WEBHOOKS.sendBatch(
			chunk.map((d) => ({
				body: { v: 1, kind: "delivery", tenant_id: d.tenantId, delivery_id: d.id } satisfies WebhookMessage,
			})),
		);
	}
	return created.length;
}

/** One event by id (as the outbox sweep sends them); nothing when the tenant has no such event. */
export async function fanOut(env: Env, db: Database, tenantId: string, eventId: string, now: Date): Promise<number> {
	const event = await db
		.select(fannedOutColumns)
		.from(outboxEvents)
		.where(idInTenant(outboxEvents, tenantId, eventId))
		.get();
	return event ? fanOutEvents(env, db, [event], now) : 0;
}
