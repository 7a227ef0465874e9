// The usage consumer's work: a queue batch's events, whatever their tenants, are validated, stored
// and aggregated in D1 batches that each hold some events together with their aggregates. A batch
// commits whole or not at all, and a redelivered message finds the events of committed batches
// stored already, so they add nothing: no loss, no double count.
import type { BatchItem } from "drizzle-orm/batch";
import { type Database, runBatch } from "../../db/client";
import { usageRejections } from "../../db/schema";
import { newId } from "../../lib/ids";
import { type UsageMessage, usageWireEvent } from "../../schemas/usage";
import { fieldErrorsOf } from "../../schemas/validation";
import { anyLastMetric, loadTenantUsageContext, prepareEvent } from "./prepareUsage";
import { type StoredEvent, storeUsageStatements } from "./storeUsage";

/** What a consumer batch did, and where its time went (preparing in the Worker, writing in D1). */
export type RecordOutcome = { stored: number; rejected: number; prepareMs: number; writeMs: number };

/**
 * Events per D1 batch. D1 runs one query at a time per database: a bounded write (tens of ms) keeps
 * every other request's reads flowing while a large queue batch is being stored.
 */
const EVENTS_PER_WRITE = 5_000;

export async function recordUsageMessages(
	db: Database,
	messages: readonly UsageMessage[],
	receivedAt: string,
): Promise<RecordOutcome> {
	const byTenant = new Map<string, unknown[]>();
	for (const message of messages) {
		const list = byTenant.get(message.tenant_id) ?? [];
		list.push(...message.events);
		byTenant.set(message.tenant_id, list);
	}
	const writes: BatchItem<"sqlite">[][] = [];
	const started = Date.now();
	const outcome: RecordOutcome = { stored: 0, rejected: 0, prepareMs: 0, writeMs: 0 };
	for (const [tenantId, raw] of byTenant) {
		const rejections: (typeof usageRejections.$inferInsert)[] = [];
		const parsed = raw.flatMap((event) => {
			const result = usageWireEvent.safeParse(event);
			if (result.success) return [{ raw: event, event: result.data }];
			rejections.push({
				id: newId("usageRejection"),
				tenantId,
				event,
				errors: fieldErrorsOf(result.error.issues, "event"),
				receivedAt,
			});
			return [];
		});
		const context = await loadTenantUsageContext(
			db,
			tenantId,
			parsed.map((p) => p.event),
		);
		const stored: StoredEvent[] = [];
		for (const { raw: event, event: valid } of parsed) {
			const prepared = context
				? prepareEvent(context, valid, receivedAt, null)
				: { ok: false as const, errors: [{ field: "tenant_id", message: "names no tenant" }] };
			if (prepared.ok) stored.push(prepared.event);
			else rejections.push({ id: newId("usageRejection"), tenantId, event, errors: prepared.errors, receivedAt });
		}
		for (let i = 0; context && i < stored.length; i += EVENTS_PER_WRITE) {
			const part = stored.slice(i, i + EVENTS_PER_WRITE);
			writes.push(storeUsageStatements(db, part, { anyLastMetric: anyLastMetric(context, part) }));
		}
		// Rejections are recorded, not dropped: a producer's bug shows up where the tenant can see it.
		for (let i = 0; i < rejections.length; i += 50)
			writes.push([db.insert(usageRejections).values(rejections.slice(i, i + 50))]);
		outcome.stored += stored.length;
		outcome.rejected += rejections.length;
	}
	outcome.prepareMs = Date.now() - started;
	for (const statements of writes) await runBatch(db, statements);
	outcome.writeMs = Date.now() - started - outcome.prepareMs;
	return outcome;
}

/**
 * Keeps a usage message that can no longer be recorded (malformed, or dead-lettered) in usage_rejections,
 * where it can be inspected and sent again: nothing acknowledged to a producer disappears.
 */
export async function keepDeadLetteredUsage(
	db: Database,
	body: unknown,
	why: { field: string; message: string; receivedAt: string },
) {
	const tenantId = (body as { tenant_id?: unknown } | null)?.tenant_id;
	await db.insert(usageRejections).values({
		id: newId("usageRejection"),
		tenantId: typeof tenantId === "string" ? tenantId : "unknown",
		event: body,
		errors: [{ field: why.field, message: why.message }],
		receivedAt: why.receivedAt,
	});
}
