// The usage consumer's work: a queue batch's events, whatever their tenants, are validated, stored
// and aggregated in ONE D1 batch. Either all of it commits or none, and a redelivered message finds
// its events stored already, so it adds nothing: no loss, no double count.
import type { BatchItem } from "drizzle-orm/batch";
import { type Database, runBatch } from "../../db/client";
import { usageRejections } from "../../db/schema";
import { newId } from "../../lib/ids";
import { type UsageMessage, usageWireEvent } from "../../schemas/usage";
import { fieldErrorsOf } from "../../schemas/validation";
import { anyLastMetric, loadTenantUsageContext, prepareEvent } from "./prepareUsage";
import { type StoredEvent, storeUsageStatements } from "./storeUsage";

export type RecordOutcome = { stored: number; rejected: number };

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
	const statements: BatchItem<"sqlite">[] = [];
	const outcome: RecordOutcome = { stored: 0, rejected: 0 };
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
		if (context && stored.length > 0)
			statements.push(...storeUsageStatements(db, stored, { anyLastMetric: anyLastMetric(context, stored) }));
		// Rejections are recorded, not dropped: a producer's bug shows up where the tenant can see it.
		for (let i = 0; i < rejections.length; i += 50)
			statements.push(db.insert(usageRejections).values(rejections.slice(i, i + 50)));
		outcome.stored += stored.length;
		outcome.rejected += rejections.length;
	}
	if (statements.length > 0) await runBatch(db, statements);
	return outcome;
}
