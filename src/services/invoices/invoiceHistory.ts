import { and, asc, eq } from "drizzle-orm";
import { auditLog, outboxEvents } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { presentAuditEntry } from "../../schemas/audit";
import { eventAudit, eventColumns } from "../events/eventRows";
import { loadInvoiceRow } from "./loadInvoice";

/** Everything recorded about one invoice: its audit trail and the events it raised, oldest first. */
export async function invoiceHistory({ ctx, id }: { ctx: ServiceContext; id: string }) {
	await loadInvoiceRow(ctx, id);
	const [audit, events] = await ctx.db.batch([
		ctx.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.tenantId, ctx.tenantId), eq(auditLog.targetId, id)))
			.orderBy(asc(auditLog.id)),
		ctx.db
			.select(eventColumns)
			.from(outboxEvents)
			.leftJoin(auditLog, eventAudit)
			.where(and(eq(outboxEvents.tenantId, ctx.tenantId), eq(outboxEvents.resourceId, id)))
			.orderBy(asc(outboxEvents.id)),
	]);
	return {
		object: "invoice_history" as const,
		invoice_id: id,
		audit: audit.map(presentAuditEntry),
		events: events.map((event) => ({
			id: event.id,
			type: event.type,
			created_at: event.createdAt,
			request_id: event.requestId,
			data: event.data,
		})),
	};
}
