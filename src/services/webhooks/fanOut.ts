import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { outboxEvents, webhookDeliveries, webhookEndpoints } from "../../db/schema";
import type { Env } from "../../env";
import { newId } from "../../lib/ids";
import type { WebhookMessage } from "../../schemas/event";

/**
 * An event reaches each of its tenant's enabled endpoints that subscribe to its type (or to `*`):
 * one delivery row per (endpoint, event) — created once, however often the event is fanned out —
 * and one queue message for each delivery this call created.
 */
export async function fanOut(env: Env, db: Database, tenantId: string, eventId: string, now: Date): Promise<number> {
	const event = await db
		.select()
		.from(outboxEvents)
		.where(and(eq(outboxEvents.tenantId, tenantId), eq(outboxEvents.id, eventId)))
		.get();
	if (!event) return 0;
	const endpoints = await db
		.select()
		.from(webhookEndpoints)
		.where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.status, "enabled")));
	const subscribed = endpoints.filter((e) => e.events.includes("*") || e.events.includes(event.type));
	const at = now.toISOString();
	const created: string[] = [];
	for (const endpoint of subscribed) {
		const rows = await db
			.insert(webhookDeliveries)
			.values({
				id: newId("webhookDelivery"),
				tenantId,
				endpointId: endpoint.id,
				eventId: event.id,
				eventType: event.type,
				status: "pending",
				createdAt: at,
				updatedAt: at,
			})
			.onConflictDoNothing({ target: [webhookDeliveries.endpointId, webhookDeliveries.eventId] })
			.returning({ id: webhookDeliveries.id });
		created.push(...rows.map((r) => r.id));
	}
	if (created.length > 0) {
		await env.WEBHOOKS.sendBatch(
			created.map((id) => ({
				body: { v: 1, kind: "delivery", tenant_id: tenantId, delivery_id: id } satisfies WebhookMessage,
			})),
		);
	}
	return created.length;
}
