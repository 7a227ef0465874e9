import { and, eq, gte, isNull, lt, lte, sql } from "drizzle-orm";
import { chunked, inJsonArray } from "../../db/chunks";
import { type Database, runBatch } from "../../db/client";
import { outboxEvents } from "../../db/schema";
import type { Env } from "../../env";
import type { ServiceContext } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { groupBy } from "../../lib/groupBy";
import { type EventListQuery, presentEvent, type WebhookMessage } from "../../schemas/event";
import { paginate } from "../pagination";
import { fannedOutColumns } from "../webhooks/fanOut";

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

/** Queues take at most 100 messages per sendBatch. */
const SEND_BATCH = 100;

/**
 * The outbox sweep: hands committed events that are still undispatched to the webhooks queue (one
 * message each) and marks them dispatched. An event is marked only after its send succeeded, so none
 * is lost; one sent twice is delivered once.
 */
export async function dispatchEvents(
	env: Env,
	db: Database,
	scope: { tenantId?: string; createdBefore?: string; limit?: number },
): Promise<number> {
	const pending = await db
		.select({ id: outboxEvents.id, tenantId: outboxEvents.tenantId })
		.from(outboxEvents)
		.where(
			and(
				isNull(outboxEvents.dispatchedAt),
				scope.tenantId ? eq(outboxEvents.tenantId, scope.tenantId) : undefined,
				scope.createdBefore ? lt(outboxEvents.createdAt, scope.createdBefore) : undefined,
			),
		)
		// `+id`: ordering by the bare id lets SQLite walk the tenant's whole history in id order rather
		// than read the few undispatched rows from their partial indexes and sort them.
		.orderBy(sql`+${outboxEvents.id}`)
		.limit(scope.limit ?? 500);
	for (const chunk of chunked(pending, SEND_BATCH)) {
		await env.WEBHOOKS.sendBatch(
			chunk.map((e) => ({
				body: { v: 1, kind: "event", tenant_id: e.tenantId, event_id: e.id } satisfies WebhookMessage,
			})),
		);
		await markDispatched(
			db,
			chunk.map((e) => e.id),
		);
	}
	return pending.length;
}

/**
 * After a request (or one unit of a job) committed its events: one queue message names the request,
 * and the webhooks consumer fans its events out and marks them (`pendingEventsOfRequests`, then
 * `markDispatched`), many requests at a time. The request itself spends no D1 call on it. Should the
 * send fail, its events stay undispatched until the cron sweep sends them.
 */
export function announceEvents(env: Env, tenantId: string, requestId: string) {
	return env.WEBHOOKS.send({
		v: 1,
		kind: "request",
		tenant_id: tenantId,
		request_id: requestId,
	} satisfies WebhookMessage);
}

/**
 * The undispatched events of some requests, oldest first, in one round trip (one read per tenant):
 * what fan-out needs of them, not their payloads (a busy batch's would be megabytes).
 */
export async function pendingEventsOfRequests(db: Database, requests: { tenantId: string; requestId: string }[]) {
	const byTenant = groupBy(requests, (r) => r.tenantId);
	if (byTenant.size === 0) return [];
	const reads = await runBatch(
		db,
		[...byTenant].map(([tenantId, ofTenant]) =>
			db
				.select(fannedOutColumns)
				.from(outboxEvents)
				.where(
					and(
						eq(outboxEvents.tenantId, tenantId),
						inJsonArray(
							outboxEvents.requestId,
							ofTenant.map((r) => r.requestId),
						),
						isNull(outboxEvents.dispatchedAt),
					),
				)
				.orderBy(sql`+${outboxEvents.id}`),
		),
	);
	return reads.flat();
}

/** Marks events dispatched, however many, in one statement. */
export async function markDispatched(db: Database, ids: string[]) {
	if (ids.length === 0) return;
	await db
		.update(outboxEvents)
		.set({ dispatchedAt: new Date().toISOString() })
		.where(inJsonArray(outboxEvents.id, ids));
}
