import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { webhookEndpoints } from "../../db/schema";
import { IsolateCache } from "../../lib/isolateCache";

/**
 * Whether a tenant has any webhook endpoint, kept per isolate for a few seconds. A mutation of a tenant
 * with none announces nothing to the webhooks queue: its events have nowhere to go, and the outbox sweep
 * marks them in place (`markUnheardEvents`). An endpoint created through another isolate is seen here
 * within ten seconds; events committed meanwhile stay undispatched and reach it through the sweep. The
 * isolate that creates an endpoint knows at once (`heardOf`).
 */
const listening = new IsolateCache<boolean>(10_000, 1_000);

export async function tenantListens(db: Database, tenantId: string): Promise<boolean> {
	const cached = listening.get(tenantId);
	if (cached !== undefined) return cached;
	const endpoint = await db
		.select({ id: webhookEndpoints.id })
		.from(webhookEndpoints)
		.where(eq(webhookEndpoints.tenantId, tenantId))
		.limit(1)
		.get();
	listening.set(tenantId, endpoint !== undefined);
	return endpoint !== undefined;
}

/** After an endpoint is created: the tenant's next mutations announce their events. */
export function heardOf(tenantId: string) {
	listening.delete(tenantId);
}
