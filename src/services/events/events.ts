import { and, eq, gte, inArray, isNull, lt, lte, notExists, sql } from "drizzle-orm";
import { chunked, inJsonArray } from "../../db/chunks";
import { type Database, runBatch } from "../../db/client";
import { auditLog, outboxEvents, webhookEndpoints } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import type { Env } from "../../env";
import type { ServiceContext } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { groupBy } from "../../lib/groupBy";
import { type EventListQuery, presentEvent, type WebhookMessage } from "../../schemas/event";
import { paginate } from "../pagination";
import { fannedOutColumns } from "../webhooks/fanOut";
import { eventAudit, eventColumns } from "./eventRows";

export const listEvents = ({ ctx, query }: { ctx: ServiceContext; query: EventListQuery }) =>
	paginate({
		query,
		idColumn: outboxEvents.id,
		run: (p) =>
			ctx.db
				.select(eventColumns)
				.from(outboxEvents)
				.leftJoin(auditLog, eventAudit)
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
		.select(eventColumns)
		.from(outboxEvents)
		.leftJoin(auditLog, eventAudit)
		.where(idInTenant(outboxEvents, ctx.tenantId, id))
		.get();
	if (!row) throw notFound("event", id);
	return row;
}

/** Queues take at most 100 messages per sendBatch. */
const SEND_BATCH = 100;

type SweepScope = { tenantId?: string; createdBefore?: string; limit?: number };

const undispatchedIn = (scope: SweepScope) =>
	and(
		isNull(outboxEvents.dispatchedAt),
		scope.tenantId ? eq(outboxEvents.tenantId, scope.tenantId) : undefined,
		scope.createdBefore ? lt(outboxEvents.createdAt, scope.createdBefore) : undefined,
	);

/** Events marked in place per statement, and statements per sweep, for tenants with no endpoint. */
const UNHEARD_PER_STATEMENT = 5_000;
const UNHEARD_STATEMENTS = 20;

/**
 * The outbox sweep: hands committed events that are still undispatched to the webhooks queue (one
 * message each) and marks them dispatched. An event is marked only after its send succeeded, so none
 * is lost; one sent twice is delivered once. Events of tenants with no webhook endpoint (whose
 * mutations announce nothing) are marked in place first. Returns how many events it handled.
 */
export async function dispatchEvents(env: Env, db: Database, scope: SweepScope): Promise<number> {
	const unheard = await markUnheardEvents(db, scope);
	const pending = await db
		.select({ id: outboxEvents.id, tenantId: outboxEvents.tenantId })
		.from(outboxEvents)
		.where(undispatchedIn(scope))
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
	return unheard + pending.length;
}

/**
 * Marks dispatched the undispatched events of tenants that have no webhook endpoint, in bounded
 * statements. The endpoint check is part of each statement, so an event of a tenant that has just
 * made its first endpoint is left for sending.
 */
async function markUnheardEvents(db: Database, scope: SweepScope): Promise<number> {
	let marked = 0;
	for (let statement = 0; statement < UNHEARD_STATEMENTS; statement++) {
		const unheard = db
			.select({ id: outboxEvents.id })
			.from(outboxEvents)
			.where(
				and(
					undispatchedIn(scope),
					notExists(
						db
							.select({ id: webhookEndpoints.id })
							.from(webhookEndpoints)
							.where(eq(webhookEndpoints.tenantId, outboxEvents.tenantId)),
					),
				),
			)
			.limit(UNHEARD_PER_STATEMENT);
		const result = await db
			.update(outboxEvents)
			.set({ dispatchedAt: new Date().toISOString() })
			.where(inArray(outboxEvents.id, unheard));
		marked += result.meta.changes;
		if (result.meta.changes < UNHEARD_PER_STATEMENT) break;
	}
	return marked;
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

/** Puts an event back for the outbox sweep (its fan-out ran out of queue retries). */
export async function markUndispatched(db: Database, tenantId: string, eventId: string) {
	await db
		.update(outboxEvents)
		.set({ dispatchedAt: null })
		.where(idInTenant(outboxEvents, tenantId, eventId));
}
