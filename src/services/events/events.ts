import { and, eq, gte, inArray, isNull, lt, lte, sql } from "drizzle-orm";
import { ID_CHUNK } from "../../db/chunks";
import type { Database } from "../../db/client";
import { outboxEvents } from "../../db/schema";
import type { Env } from "../../env";
import type { ServiceContext } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { type EventListQuery, presentEvent, type WebhookMessage } from "../../schemas/event";
import { paginate } from "../pagination";

export const listEvents = ({ ctx, query }: { ctx: ServiceContext; query: EventListQuery }) =>
	paginate({
		query,
		idColumn: outboxEvents.id,
		run: (p) =>
			ctx.db
				.select()
				.from(outboxEvents)
				.where(
					and(
						eq(outboxEvents.tenantId, ctx.tenantId),
						query.type ? eq(outboxEvents.type, query.type) : undefined,
						query.resource_id ? eq(outboxEvents.resourceId, query.resource_id) : undefined,
						query.from ? gte(outboxEvents.createdAt, new Date(query.from).toISOString()) : undefined,
						query.to ? lte(outboxEvents.createdAt, new Date(query.to).toISOString()) : undefined,
						p.where,
					),
				)
				.orderBy(...p.orderBy)
				.limit(p.limit)
				.offset(p.offset),
		present: presentEvent,
	});

export async function getEvent({ ctx, id }: { ctx: Pick<ServiceContext, "db" | "tenantId">; id: string }) {
	const row = await ctx.db
		.select()
		.from(outboxEvents)
		.where(and(eq(outboxEvents.tenantId, ctx.tenantId), eq(outboxEvents.id, id)))
		.get();
	if (!row) throw notFound("event", id);
	return row;
}

/** Queues take at most 100 messages per sendBatch; the update that marks them binds one more value. */
const SEND_BATCH = ID_CHUNK;

/**
 * Hands committed events to the webhooks queue and marks them dispatched. Called after a request or
 * job that wrote events, and by the cron sweep for anything a failed send left behind: an event is
 * marked only after its send succeeded, so none is lost; one sent twice is delivered once.
 */
export async function dispatchEvents(
	env: Env,
	db: Database,
	scope: { tenantId?: string; requestId?: string; createdBefore?: string; limit?: number },
): Promise<number> {
	const pending = await db
		.select({ id: outboxEvents.id, tenantId: outboxEvents.tenantId })
		.from(outboxEvents)
		.where(
			and(
				isNull(outboxEvents.dispatchedAt),
				scope.tenantId ? eq(outboxEvents.tenantId, scope.tenantId) : undefined,
				scope.requestId ? eq(outboxEvents.requestId, scope.requestId) : undefined,
				scope.createdBefore ? lt(outboxEvents.createdAt, scope.createdBefore) : undefined,
			),
		)
		// `+id`: ordering by the bare id lets SQLite walk the tenant's whole history in id order rather
		// than read the few undispatched rows from their partial indexes and sort them.
		.orderBy(sql`+${outboxEvents.id}`)
		.limit(scope.limit ?? 500);
	for (let i = 0; i < pending.length; i += SEND_BATCH) {
		const chunk = pending.slice(i, i + SEND_BATCH);
		await env.WEBHOOKS.sendBatch(
			chunk.map((e) => ({
				body: { v: 1, kind: "event", tenant_id: e.tenantId, event_id: e.id } satisfies WebhookMessage,
			})),
		);
		await db
			.update(outboxEvents)
			.set({ dispatchedAt: new Date().toISOString() })
			.where(
				inArray(
					outboxEvents.id,
					chunk.map((e) => e.id),
				),
			);
	}
	return pending.length;
}
