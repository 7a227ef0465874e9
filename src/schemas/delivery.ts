import { z } from "zod";
import type { documentDeliveries } from "../db/schema";
import { timestamp } from "./common";

export type DeliveryRow = typeof documentDeliveries.$inferSelect;
export type DeliveryKind = DeliveryRow["kind"];
export type DeliveryChannel = DeliveryRow["channel"];

export const deliverySchema = z
	.object({
		id: z.string(),
		kind: z.enum(["invoice", "reminder", "credit_note", "statement"]),
		channel: z.enum(["email", "erp", "sftp"]),
		status: z.enum(["queued", "sent", "undeliverable", "failed"]).meta({
			description:
				"queued: waiting for its next attempt on the jobs queue; sent: the provider accepted it; undeliverable: " +
				"no attempt can succeed (no address, no transport); failed: every attempt was refused.",
		}),
		recipient: z.string().nullable(),
		reason: z.string().nullable().meta({ description: "Why the last attempt failed." }),
		provider_message_id: z.string().nullable(),
		attempts: z.number().int(),
		template_id: z.string().nullable(),
		created_at: timestamp,
		updated_at: timestamp.nullable(),
	})
	.meta({ id: "DocumentDelivery" });

export const presentDelivery = (d: DeliveryRow) => ({
	id: d.id,
	kind: d.kind,
	channel: d.channel,
	status: d.status,
	recipient: d.recipient,
	reason: d.reason,
	provider_message_id: d.providerMessageId,
	attempts: d.attempts,
	template_id: d.templateId,
	created_at: d.createdAt,
	updated_at: d.updatedAt,
});

/** Emailing a credit note or a statement: its stored PDF attached, to the customer unless `to` says otherwise. */
export const documentSendBody = z
	.strictObject({
		to: z.email().optional().meta({ description: "Overrides the customer's email." }),
		template_id: z
			.string()
			.max(100)
			.optional()
			.meta({ description: "A template of the document's kind; else the tenant's own, else the default." }),
	})
	.meta({ id: "DocumentSend" });

export const documentDeliveriesSchema = z
	.object({
		object: z.literal("document_deliveries"),
		document_id: z.string(),
		deliveries: z.array(deliverySchema).meta({ description: "Every delivery of the document, oldest first." }),
	})
	.meta({ id: "DocumentDeliveries" });

export const presentDocumentDeliveries = (documentId: string, rows: DeliveryRow[]) => ({
	object: "document_deliveries" as const,
	document_id: documentId,
	deliveries: rows.map(presentDelivery),
});
