// Every state change writes an audit row and, when it is an event other systems care about, an
// outbox event, in the same D1 batch as the change itself (ARCHITECTURE.md invariant 5).
import { type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { insertRows } from "../db/client";
import { auditLog, outboxEvents } from "../db/schema";
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
	 * Fields of `after` known only to the database when the batch runs (an assigned number, say):
	 * SQL subqueries, which see what earlier statements of the batch wrote.
	 */
	computedAfter?: Record<string, SQL>;
};

/** `value` for a JSON column, with `computed` fields set at `basePath` by the database. */
function jsonWith(value: unknown, basePath: string, computed: Record<string, SQL> | undefined): unknown {
	if (!computed || value === null || value === undefined) return value ?? null;
	const text = JSON.stringify(value);
	const assignments = Object.entries(computed).map(([key, expr]) => sql`, ${`${basePath}.${key}`}, ${expr}`);
	return sql`json_set(${text}${sql.join(assignments)})`;
}

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
		after: jsonWith(change.after, "$", change.computedAfter),
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
		data: jsonWith({ object: change.after, previous: change.before ?? null }, "$.object", change.computedAfter),
		requestId: ctx.requestId,
		createdAt,
	}));
	// Values the database computes need drizzle's SQL building; plain ones bind to prepared text.
	if (change.computedAfter) {
		return [ctx.db.insert(auditLog).values(audit), ...events.map((event) => ctx.db.insert(outboxEvents).values(event))];
	}
	return [...insertRows(ctx.db, auditLog, [audit]), ...insertRows(ctx.db, outboxEvents, events)];
}
