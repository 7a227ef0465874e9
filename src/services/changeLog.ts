// Every state change writes an audit row and, when it is an event other systems care about, an
// outbox event, in the same D1 batch as the change itself (ARCHITECTURE.md invariant 5).
import type { BatchItem } from "drizzle-orm/batch";
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
};

export function changeStatements(ctx: ServiceContext, change: Change): BatchItem<"sqlite">[] {
	const createdAt = ctx.clock.now().toISOString();
	const statements: BatchItem<"sqlite">[] = [
		ctx.db.insert(auditLog).values({
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
		}),
	];
	const eventType = change.event === undefined ? change.action : change.event;
	if (eventType !== null) {
		statements.push(
			ctx.db.insert(outboxEvents).values({
				id: newId("event"),
				tenantId: ctx.tenantId,
				type: eventType,
				resourceType: change.target.type,
				resourceId: change.target.id,
				data: { object: change.after, previous: change.before },
				requestId: ctx.requestId,
				createdAt,
			}),
		);
	}
	return statements;
}
