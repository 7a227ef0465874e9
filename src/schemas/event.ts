import { z } from "zod";
import type { outboxEvents } from "../db/schema";
import { paginationQuery, timestamp } from "./common";

export const eventSchema = z
	.object({
		id: z.string(),
		object: z.literal("event"),
		type: z.string().meta({ example: "invoice.finalized" }),
		created_at: timestamp,
		resource: z.object({ type: z.string(), id: z.string() }),
		data: z
			.object({ object: z.unknown(), previous: z.unknown() })
			.meta({ description: "The resource after the change, and before it." }),
		request_id: z.string().nullable().meta({ description: "Correlation id: the request that caused the change." }),
	})
	.meta({ id: "Event" });

export const eventListQuery = paginationQuery.extend({
	type: z.string().min(1).max(100).optional(),
	resource_id: z.string().min(1).max(64).optional(),
	from: z.iso.datetime({ offset: true }).optional(),
	to: z.iso.datetime({ offset: true }).optional(),
});
export type EventListQuery = z.infer<typeof eventListQuery>;

export type EventRow = typeof outboxEvents.$inferSelect;

export const presentEvent = (row: EventRow) => ({
	id: row.id,
	object: "event" as const,
	type: row.type,
	created_at: row.createdAt,
	resource: { type: row.resourceType, id: row.resourceId },
	data: row.data as { object: unknown; previous: unknown },
	request_id: row.requestId,
});

/** The versioned messages on the `webhooks` queue. */
export const webhookMessage = z.discriminatedUnion("kind", [
	z.object({ v: z.literal(1), kind: z.literal("event"), tenant_id: z.string(), event_id: z.string() }),
	z.object({ v: z.literal(1), kind: z.literal("delivery"), tenant_id: z.string(), delivery_id: z.string() }),
	z.object({ v: z.literal(1), kind: z.literal("request"), tenant_id: z.string(), request_id: z.string() }),
]);
export type WebhookMessage = z.infer<typeof webhookMessage>;
