import { z } from "zod";
import type { auditLog } from "../db/schema";
import { paginationQuery, timestamp } from "./common";

export const auditEntrySchema = z
	.object({
		id: z.string(),
		object: z.literal("audit_entry"),
		actor_type: z.enum(["api_key", "user", "admin", "system"]),
		actor_id: z.string(),
		action: z.string().meta({ example: "customer.updated" }),
		target_type: z.string(),
		target_id: z.string(),
		before: z.unknown().nullable(),
		after: z.unknown().nullable(),
		request_id: z.string().nullable(),
		created_at: timestamp,
	})
	.meta({ id: "AuditEntry" });

const instant = z.iso
	.datetime({ offset: true })
	.or(z.iso.date())
	.meta({ description: "RFC 3339 timestamp or YYYY-MM-DD (start of that day, UTC)" });

export const auditListQuery = paginationQuery.extend({
	actor_id: z.string().min(1).optional(),
	action: z.string().min(1).optional(),
	target_id: z.string().min(1).optional(),
	from: instant.optional(),
	to: instant.optional(),
});

export type AuditListQuery = z.infer<typeof auditListQuery>;

export const presentAuditEntry = (row: typeof auditLog.$inferSelect) => ({
	id: row.id,
	object: "audit_entry" as const,
	actor_type: row.actorType,
	actor_id: row.actorId,
	action: row.action,
	target_type: row.targetType,
	target_id: row.targetId,
	before: row.before,
	after: row.after,
	request_id: row.requestId,
	created_at: row.createdAt,
});
