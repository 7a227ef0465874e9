import { getTableColumns, sql } from "drizzle-orm";
import { auditLog, outboxEvents } from "../../db/schema";
import { idInTenant } from "../../db/scope";

/**
 * An event as it is presented: one recorded with its change (`auditId`) takes its object and previous
 * from that audit row's after and before, stored there once; one written before has its own `data`.
 * Select it from outbox_events left-joined to audit_log on `eventAudit`.
 */
export const eventColumns = {
	...getTableColumns(outboxEvents),
	data: sql<unknown>`coalesce(${outboxEvents.data}, json_object('object', json(${auditLog.after}), 'previous', json(${auditLog.before})))`.mapWith(
		outboxEvents.data,
	),
};

export const eventAudit = idInTenant(auditLog, outboxEvents.tenantId, outboxEvents.auditId);
