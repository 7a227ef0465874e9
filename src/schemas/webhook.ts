import { z } from "zod";
import type { webhookAttempts, webhookDeliveries, webhookEndpoints } from "../db/schema";
import { eventAliases, subscribableEventNames } from "../domain/eventCatalog";
import { isWebhookSecret } from "../lib/webhookSignature";
import { paginationQuery, timestamp } from "./common";

const eventType = z
	.enum(subscribableEventNames, { error: "must be an event type of the catalog (see the enum), or *" })
	.meta({
		example: "invoice.paid",
		description: `An event type, or \`*\` for every event. Aliases: ${Object.entries(eventAliases)
			.map(([alias, type]) => `\`${alias}\` subscribes to \`${type}\``)
			.join(", ")}.`,
	});

export const webhookCreateBody = z
	.strictObject({
		url: z.string().min(1).max(2048),
		events: z.array(eventType).min(1).max(100),
		description: z.string().trim().min(1).max(500).optional(),
		secret: z
			.string()
			.refine(isWebhookSecret, "must be whsec_ followed by 24 to 64 base64-encoded bytes")
			.optional()
			.meta({ description: "Generated when absent; shown once." }),
	})
	.meta({
		id: "WebhookEndpointCreate",
		example: { url: "https://erp.example.com/hooks/billing", events: ["invoice.paid", "payment.recorded"] },
	});
export type WebhookCreateInput = z.infer<typeof webhookCreateBody>;

export const webhookTestBody = z
	.strictObject({
		endpoint_id: z.string().min(1).max(64),
		event_type: z.string().min(1).max(100).default("webhook.test"),
	})
	.meta({ id: "WebhookTest" });

export const webhookEndpointSchema = z
	.object({
		id: z.string(),
		object: z.literal("webhook_endpoint"),
		url: z.string(),
		description: z.string().nullable(),
		events: z.array(z.string()),
		status: z.enum(["enabled", "disabled"]),
		disabled_reason: z.string().nullable(),
		consecutive_failures: z.number().int(),
		created_at: timestamp,
		updated_at: timestamp,
		secret: z.string().optional().meta({ description: "Only when created or rotated." }),
	})
	.meta({ id: "WebhookEndpoint" });

export const webhookDeliverySchema = z
	.object({
		id: z.string().meta({ description: "Also the webhook-id header: the same for every attempt." }),
		object: z.literal("webhook_delivery"),
		endpoint_id: z.string(),
		event_id: z.string(),
		event_type: z.string(),
		status: z.enum(["pending", "succeeded", "failed", "dead_lettered"]),
		attempts: z.number().int(),
		last_status_code: z.number().int().nullable(),
		last_error: z.string().nullable(),
		next_retry_at: timestamp.nullable(),
		created_at: timestamp,
		succeeded_at: timestamp.nullable(),
		attempt_log: z
			.array(
				z.object({
					attempt: z.number().int(),
					status_code: z.number().int().nullable(),
					latency_ms: z.number().int(),
					error: z.string().nullable(),
					at: timestamp,
				}),
			)
			.optional(),
	})
	.meta({ id: "WebhookDelivery" });

export const deliveryListQuery = paginationQuery.extend({
	status: z.enum(["pending", "succeeded", "failed", "dead_lettered"]).optional(),
});

export type EndpointRow = typeof webhookEndpoints.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;
export type AttemptRow = typeof webhookAttempts.$inferSelect;

export const presentEndpoint = (row: EndpointRow, withSecret = false) => ({
	id: row.id,
	object: "webhook_endpoint" as const,
	url: row.url,
	description: row.description,
	events: row.events,
	status: row.status,
	disabled_reason: row.disabledReason,
	consecutive_failures: row.consecutiveFailures,
	created_at: row.createdAt,
	updated_at: row.updatedAt,
	...(withSecret ? { secret: row.secret } : {}),
});

export const presentDelivery = (row: DeliveryRow, attempts?: AttemptRow[]) => ({
	id: row.id,
	object: "webhook_delivery" as const,
	endpoint_id: row.endpointId,
	event_id: row.eventId,
	event_type: row.eventType,
	status: row.status,
	attempts: row.attempts,
	last_status_code: row.lastStatusCode,
	last_error: row.lastError,
	next_retry_at: row.nextRetryAt,
	created_at: row.createdAt,
	succeeded_at: row.succeededAt,
	...(attempts
		? {
				attempt_log: attempts.map((a) => ({
					attempt: a.attempt,
					status_code: a.statusCode,
					latency_ms: a.latencyMs,
					error: a.error,
					at: a.createdAt,
				})),
			}
		: {}),
});
