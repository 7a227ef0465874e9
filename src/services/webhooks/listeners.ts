import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { webhookEndpoints } from "../../db/schema";

/**
 * Whether a tenant has any webhook endpoint, kept per isolate for a few seconds. A mutation of a tenant
 * with none announces nothing to the webhooks queue: its events have nowhere to go, and the outbox sweep
 * marks them in place (`markUnheardEvents`). An endpoint created through another isolate is seen here
 * within CACHE_MS; events committed meanwhile stay undispatched and reach it through the sweep. The
 * isolate that creates an endpoint knows at once (`heardOf`).
 */
const CACHE_MS = 10_000;
const CACHE_ENTRIES = 1_000;
const listening = new Map<string, { listens: boolean; cachedUntilMs: number }>();

export async function tenantListens(db: Database, tenantId: string): Promise<boolean> {
	const cached = listening.get(tenantId);
	if (cached && cached.cachedUntilMs > Date.now()) return cached.listens;
	listening.delete(tenantId);
	const endpoint = await db
		.select({ id: webhookEndpoints.id })
		.from(webhookEndpoints)
		.where(eq(webhookEndpoints.tenantId, tenantId))
		.limit(1)
		.get();
	if (listening.size >= CACHE_ENTRIES) listening.delete(listening.keys().next().value as string);
	listening.set(tenantId, { listens: endpoint !== undefined, cachedUntilMs: Date.now() + CACHE_MS });
	return endpoint !== undefined;
}

/** After an endpoint is created: the tenant's next mutations announce their events. */
export function heardOf(tenantId: string) {
	listening.delete(tenantId);
}
