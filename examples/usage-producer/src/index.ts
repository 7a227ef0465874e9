// A Worker that meters its own traffic for the billing API: every request becomes a usage event on
// the `usage-events` queue (message schema v1, see ../README.md). No HTTP call to the billing API, no
// credential: the queue binding is the trust boundary.

export type UsageEvent = {
	/** Unique per event: a redelivered or re-sent event is counted once. */
	event_id: string;
	customer_id?: string;
	subscription_id?: string;
	metric: string;
	/** A number or decimal string, at most 6 decimals; 1 when omitted. */
	quantity?: number | string;
	/** RFC 3339 with offset. */
	timestamp: string;
	dimensions?: Record<string, string>;
	properties?: Record<string, string | number | boolean | null>;
};

export type UsageMessage = { v: 1; tenant_id: string; events: UsageEvent[] };

type Env = {
	USAGE_EVENTS: Queue<UsageMessage>;
	BILLING_TENANT_ID: string;
	BILLING_CUSTOMER_ID: string;
};

/** Queue messages carry up to 128 KB: many events travel in one message, well under that. */
const MAX_MESSAGE_BYTES = 100 * 1024;

/** Packs events into as few messages as their size allows. */
export function usageMessages(tenantId: string, events: readonly UsageEvent[]): UsageMessage[] {
	const messages: UsageMessage[] = [];
	let current: UsageEvent[] = [];
	let size = 0;
	for (const event of events) {
		const eventSize = JSON.stringify(event).length + 1;
		if (current.length > 0 && size + eventSize > MAX_MESSAGE_BYTES) {
			messages.push({ v: 1, tenant_id: tenantId, events: current });
			current = [];
			size = 0;
		}
		current.push(event);
		size += eventSize;
	}
	if (current.length > 0) messages.push({ v: 1, tenant_id: tenantId, events: current });
	return messages;
}

export default {
	async fetch(request, env, ctx): Promise<Response> {
		const started = Date.now();
		const response = new Response("Hello from a metered edge app\n");
		const event: UsageEvent = {
			event_id: crypto.randomUUID(),
			customer_id: env.BILLING_CUSTOMER_ID,
			metric: "api_calls",
			timestamp: new Date().toISOString(),
			dimensions: { path: new URL(request.url).pathname, colo: String(request.cf?.colo ?? "unknown") },
			properties: { duration_ms: Date.now() - started },
		};
		// Sent after the response; the queue keeps it durably once send() resolves.
		ctx.waitUntil(env.USAGE_EVENTS.sendBatch(usageMessages(env.BILLING_TENANT_ID, [event]).map((body) => ({ body }))));
		return response;
	},
} satisfies ExportedHandler<Env>;
