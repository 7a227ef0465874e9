// Accepting usage over HTTP: every event is validated on its own (bad ones reported by index, good
// ones kept), then the good ones are put on the `usage-events` queue, many per message, and only then
// acknowledged. Storing and aggregating is the queue consumer's work (recordUsage.ts).

import { chunkedByWeight } from "../../db/chunks";
import { formatDecimal } from "../../domain/decimal";
import type { Env } from "../../env";
import type { ServiceContext } from "../../lib/context";
import { AppError, fieldInvalid } from "../../lib/errors";
import { newId } from "../../lib/ids";
import {
	type UsageMessage,
	type UsageWireEvent,
	type UsageWireEventParsed,
	usageEventInput,
} from "../../schemas/usage";
import { fieldErrorsOf } from "../../schemas/validation";
import { judgeEvent, loadTenantUsageContext } from "./prepareUsage";

/** Events per request (one JSON array or NDJSON body). */
export const MAX_EVENTS_PER_REQUEST = 10_000;
/** Far below the platform's 128 KB per message, leaving room for the envelope. */
const MAX_MESSAGE_BYTES = 100 * 1024;
/** sendBatch takes at most 100 messages and 256 KB in one call. */
const MAX_SEND_BYTES = 240 * 1024;
const MAX_SEND_MESSAGES = 100;
/** How far ahead of the clock an event's timestamp may be (producers' clocks drift). */
const FUTURE_SKEW_MS = 5 * 60 * 1000;

type Rejection = { index: number; event_id: string | null; errors: { field: string; message: string }[] };

/** The events of an NDJSON body, one per line; a line that is not JSON is kept to be reported by index. */
export function eventsOfNdjson(raw: string): unknown[] {
	return raw
		.split(/\r?\n/)
		.filter((line) => line.trim() !== "")
		.map((line) => {
			try {
				return JSON.parse(line) as unknown;
			} catch {
				return { __unparsable: line.slice(0, 200) };
			}
		});
}

/** The canonical message form of an accepted event (schema v1). */
const wireEventOf = (e: UsageWireEventParsed): UsageWireEvent => ({
	event_id: e.event_id,
	...(e.customer_id ? { customer_id: e.customer_id } : {}),
	...(e.subscription_id ? { subscription_id: e.subscription_id } : {}),
	metric: e.metric,
	quantity: formatDecimal(e.quantity),
	properties: e.properties,
	dimensions: e.dimensions,
	timestamp: e.timestamp,
});

const encoder = new TextEncoder();
/** Queue limits count bytes: text outside ASCII takes more than one byte per character. */
const utf8Length = (text: string) => (/[^ -~\t\n\r]/.test(text) ? encoder.encode(text).byteLength : text.length);

/** Puts events on the queue in messages under the size limit, a few sendBatch calls at a time. */
export async function enqueueUsage(env: Env, tenantId: string, events: readonly UsageWireEvent[]): Promise<void> {
	// Each item's UTF-8 JSON and the comma after it.
	const jsonBytes = (item: unknown) => utf8Length(JSON.stringify(item)) + 1;
	const messages: UsageMessage[] = chunkedByWeight(events, jsonBytes, MAX_MESSAGE_BYTES).map((chunk) => ({
		v: 1,
		tenant_id: tenantId,
		events: chunk,
	}));
	const sends = chunkedByWeight(messages, jsonBytes, MAX_SEND_BYTES);
	for (const send of sends) {
		for (let i = 0; i < send.length; i += MAX_SEND_MESSAGES)
			await env.USAGE_EVENTS.sendBatch(send.slice(i, i + MAX_SEND_MESSAGES).map((body) => ({ body })));
	}
}

export async function acceptUsageEvents({ ctx, events }: { ctx: ServiceContext; events: unknown[] }) {
	if (events.length === 0) throw fieldInvalid("body", "body", "holds no events");
	if (events.length > MAX_EVENTS_PER_REQUEST)
		throw fieldInvalid(
			"body",
			"body",
			`holds more than ${MAX_EVENTS_PER_REQUEST} events; use POST /v1/billing/usage/ingest/bulk for more`,
		);
	const now = ctx.clock.now();
	const receivedAt = now.toISOString();
	const rejected: Rejection[] = [];
	const valid: { index: number; event: UsageWireEventParsed }[] = [];
	events.forEach((raw, index) => {
		const sentId = (raw as { event_id?: unknown } | null)?.event_id;
		const eventId = typeof sentId === "string" ? sentId : null;
		const parsed = usageEventInput.safeParse(raw);
		if (!parsed.success) {
			const errors = fieldErrorsOf(parsed.error.issues, "body").map(({ field, message }) => ({ field, message }));
			rejected.push({ index, event_id: eventId, errors });
			return;
		}
		const timestamp = parsed.data.timestamp ?? receivedAt;
		if (Date.parse(timestamp) > now.getTime() + FUTURE_SKEW_MS) {
			rejected.push({ index, event_id: eventId, errors: [{ field: "timestamp", message: "is in the future" }] });
			return;
		}
		valid.push({ index, event: { ...parsed.data, event_id: parsed.data.event_id ?? newId("usageEvent"), timestamp } });
	});
	const context = await loadTenantUsageContext(
		ctx.db,
		ctx.tenantId,
		valid.map((v) => v.event),
	);
	const accepted: UsageWireEvent[] = [];
	// Only whether each can be accepted: its stored row is the consumer's to make.
	for (const { index, event } of valid) {
		const judged = context
			? judgeEvent(context, event)
			: { ok: false as const, errors: [{ field: "customer_id", message: "names no active customer of this tenant" }] };
		if (!judged.ok) rejected.push({ index, event_id: event.event_id, errors: judged.errors });
		else accepted.push(wireEventOf(event));
	}
	rejected.sort((a, b) => a.index - b.index);
	if (accepted.length === 0) {
		throw new AppError("validation_failed", "No event could be accepted.", {
			errors: rejected.flatMap((r) =>
				r.errors.map((e) => ({
					location: "body",
					field: `${r.index}.${e.field}`.replace(/\.$/, ""),
					message: e.message,
				})),
			),
		});
	}
	await enqueueUsage(ctx.env, ctx.tenantId, accepted);
	return {
		object: "usage_ingestion" as const,
		accepted: accepted.length,
		rejected,
		event_ids: accepted.map((e) => e.event_id),
	};
}
