// Every state change writes an audit row and, when it is an event other systems care about, an
// outbox event, in the same D1 batch as the change itself (ARCHITECTURE.md invariant 5).
import { sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { bound, insertRows, preparedQuery } from "../db/client";
import { auditLog, creditNotes, invoices, outboxEvents } from "../db/schema";
import type { ServiceContext } from "../lib/context";
import { newId } from "../lib/ids";

export type Change = {
	action: string;
	target: { type: string; id: string };
	before: unknown;
	after: unknown;
	/** The outbox event type; defaults to the action. `null` records the audit row only. */
	event?: string | null;
	/** Further events the same change raises (e.g. `invoice.paid` when finalizing a zero invoice). */
	alsoEmits?: string[];
	/**
	 * The target (an invoice or a credit note) takes its number in this batch: the database sets it into
	 * `after` and the event's object, from what the batch's earlier statements wrote.
	 */
	numberedInBatch?: boolean;
};

/** The audit row and event of a change whose target takes its number in the batch, prepared per table. */
function numberedInserts(table: typeof invoices | typeof creditNotes) {
	const value = (name: string) => sql.placeholder(name);
	// JSON columns get their text as bound (an unencoded placeholder): `before` stays SQL null when null.
	const numberOfTarget = sql`(select ${table.number} from ${table} where ${table.tenantId} = ${value("tenantId")} and ${table.id} = ${value("targetId")})`;
	return {
		audit: preparedQuery((db) =>
			db.insert(auditLog).values({
				id: value("id"),
				tenantId: value("tenantId"),
				actorType: value("actorType"),
				actorId: value("actorId"),
				action: value("action"),
				targetType: value("targetType"),
				targetId: value("targetId"),
				before: bound("before"),
				after: sql`json_set(${value("after")}, '$.number', ${numberOfTarget})`,
				requestId: value("requestId"),
				createdAt: value("createdAt"),
			}),
		),
		event: preparedQuery((db) =>
			db.insert(outboxEvents).values({
				id: value("id"),
				tenantId: value("tenantId"),
				type: value("type"),
				resourceType: value("targetType"),
				resourceId: value("targetId"),
				data: sql`json_set(${value("data")}, '$.object.number', ${numberOfTarget})`,
				requestId: value("requestId"),
				createdAt: value("createdAt"),
			}),
		),
	};
}

const NUMBERED = { invoice: numberedInserts(invoices), credit_note: numberedInserts(creditNotes) };

/** What recording a change needs: a request, a job or a queue consumer can provide it. */
export type ChangeContext = Pick<ServiceContext, "db" | "tenantId" | "actor" | "requestId" | "clock">;

export function changeStatements(ctx: ChangeContext, change: Change): BatchItem<"sqlite">[] {
	const createdAt = ctx.clock.now().toISOString();
	const audit: typeof auditLog.$inferInsert = {
		id: newId("audit"),
		tenantId: ctx.tenantId,
		actorType: ctx.actor.type,
		actorId: ctx.actor.id,
		action: change.action,
		targetType: change.target.type,
		targetId: change.target.id,
		before: change.before ?? null,
		after: change.after ?? null,
		requestId: ctx.requestId,
		createdAt,
	};
	const primary = change.event === undefined ? change.action : change.event;
	const eventTypes = [...(primary === null ? [] : [primary]), ...(change.alsoEmits ?? [])];
	const events = eventTypes.map((type): typeof outboxEvents.$inferInsert => ({
		id: newId("event"),
		tenantId: ctx.tenantId,
		type,
		resourceType: change.target.type,
		resourceId: change.target.id,
		data: { object: change.after, previous: change.before ?? null },
		requestId: ctx.requestId,
		createdAt,
	}));
	if (!change.numberedInBatch) {
		return [...insertRows(ctx.db, auditLog, [audit]), ...insertRows(ctx.db, outboxEvents, events)];
	}
	const numbered = NUMBERED[change.target.type as keyof typeof NUMBERED];
	if (!numbered) throw new Error(`changeStatements: a ${change.target.type} takes no number`);
	const values = {
		...audit,
		before: audit.before === null ? null : JSON.stringify(audit.before),
		after: JSON.stringify(audit.after),
	};
	return [
		numbered.audit(ctx.db, values),
		...events.map((event) =>
			numbered.event(ctx.db, { ...values, id: event.id, type: event.type, data: JSON.stringify(event.data) }),
		),
	];
}
