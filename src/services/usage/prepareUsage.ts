// Turns validated usage events into stored rows: whose they are (a subscription names its customer),
// which tenant day they fall on, and what they are worth to their metric.
import { and, eq, sql } from "drizzle-orm";
import { inJsonArray } from "../../db/chunks";
import { type Database, preparedQuery } from "../../db/client";
import { billableMetrics, customers, subscriptions, tenants } from "../../db/schema";
import { localDate } from "../../domain/billingPeriods";
import { formatDecimal } from "../../domain/decimal";
import { dimensionsKey, eventWorth, type MetricDefinition } from "../../domain/usage";
import type { UsageWireEventParsed } from "../../schemas/usage";
import type { StoredEvent } from "./storeUsage";

type ParsedEvent = UsageWireEventParsed;

/** What preparing one tenant's events needs to know, loaded once per batch. */
export type TenantUsageContext = {
	tenantId: string;
	timeZone: string;
	metrics: Map<string, MetricDefinition>;
	/** Active customers of the tenant among those the events name. */
	customers: Set<string>;
	/** Subscription → its customer, for the subscriptions the events name. */
	subscriptions: Map<string, string>;
};

// Prepared once: each is one statement however many ids the events name (they go as one JSON array).
const tenantZone = preparedQuery((db) =>
	db
		.select({ timeZone: tenants.timeZone })
		.from(tenants)
		.where(eq(tenants.id, sql.placeholder("tenantId"))),
);
const tenantMetrics = preparedQuery((db) =>
	db
		.select({ code: billableMetrics.code, aggregation: billableMetrics.aggregation, field: billableMetrics.field })
		.from(billableMetrics)
		.where(eq(billableMetrics.tenantId, sql.placeholder("tenantId"))),
);
// A subscription's customer is checked by joining it.
const namedSubscriptions = preparedQuery((db) =>
	db
		.select({ id: subscriptions.id, customerId: subscriptions.customerId, active: customers.status })
		.from(subscriptions)
		.innerJoin(customers, eq(customers.id, subscriptions.customerId))
		.where(
			and(
				eq(subscriptions.tenantId, sql.placeholder("tenantId")),
				inJsonArray(subscriptions.id, sql.placeholder("ids")),
			),
		),
);
const namedCustomers = preparedQuery((db) =>
	db
		.select({ customerId: customers.id, active: customers.status })
		.from(customers)
		.where(and(eq(customers.tenantId, sql.placeholder("tenantId")), inJsonArray(customers.id, sql.placeholder("ids")))),
);

/** Everything preparing the events needs, read in one round trip. */
export async function loadTenantUsageContext(
	db: Database,
	tenantId: string,
	events: readonly Pick<ParsedEvent, "customer_id" | "subscription_id">[],
): Promise<TenantUsageContext | null> {
	const subscriptionIds = [...new Set(events.flatMap((e) => (e.subscription_id ? [e.subscription_id] : [])))];
	const customerIds = [...new Set(events.flatMap((e) => (e.customer_id ? [e.customer_id] : [])))];
	const [[tenant], metricRows, subscriptionRows, customerRows] = await db.batch([
		tenantZone(db, { tenantId }),
		tenantMetrics(db, { tenantId }),
		namedSubscriptions(db, { tenantId, ids: JSON.stringify(subscriptionIds) }),
		namedCustomers(db, { tenantId, ids: JSON.stringify(customerIds) }),
	]);
	if (!tenant) return null;
	return {
		tenantId,
		timeZone: tenant.timeZone,
		metrics: new Map(metricRows.map((m) => [m.code, { aggregation: m.aggregation, field: m.field }])),
		customers: new Set(
			[...customerRows, ...subscriptionRows].filter((c) => c.active === "active").map((c) => c.customerId),
		),
		subscriptions: new Map(subscriptionRows.map((s) => [s.id, s.customerId])),
	};
}

type FieldProblem = { field: string; message: string };
export type Prepared = { ok: true; event: StoredEvent } | { ok: false; errors: FieldProblem[] };
/** Whose an event is and what it is worth (no value while its metric is not defined yet). */
type Judged =
	| { ok: true; customerId: string; worth: { valueE6: number | null; uniqueValue: string | null } }
	| { ok: false; errors: FieldProblem[] };

/**
 * Whose a validated event is and what it is worth to its metric, or why it cannot be accepted: all that
 * accepting it needs to know (storing it needs its row, `prepareEvent`).
 */
export function judgeEvent(context: TenantUsageContext, event: ParsedEvent): Judged {
	const errors: FieldProblem[] = [];
	let customerId = event.customer_id ?? null;
	if (event.subscription_id) {
		const owner = context.subscriptions.get(event.subscription_id);
		if (!owner) errors.push({ field: "subscription_id", message: "names no subscription of this tenant" });
		else if (customerId !== null && customerId !== owner)
			errors.push({ field: "subscription_id", message: "belongs to another customer" });
		else customerId = owner;
	}
	if (customerId !== null && !context.customers.has(customerId) && errors.length === 0)
		errors.push({ field: "customer_id", message: "names no active customer of this tenant" });
	const metric = context.metrics.get(event.metric);
	// Without its metric yet, the event is kept pending: no value until the metric is defined.
	const worth = metric
		? eventWorth(metric, { kind: "event", quantity: event.quantity, properties: event.properties })
		: { valueE6: null, uniqueValue: null };
	if ("problem" in worth) errors.push({ field: "properties", message: worth.problem });
	if (errors.length > 0 || customerId === null || "problem" in worth) return { ok: false, errors };
	return { ok: true, customerId, worth };
}

/** One validated event as its stored row, or the reasons it cannot be accepted. */
export function prepareEvent(
	context: TenantUsageContext,
	event: ParsedEvent,
	receivedAt: string,
	createdBy: string | null,
): Prepared {
	const judged = judgeEvent(context, event);
	if (!judged.ok) return judged;
	return {
		ok: true,
		event: {
			tenantId: context.tenantId,
			eventId: event.event_id,
			kind: "event",
			customerId: judged.customerId,
			subscriptionId: event.subscription_id ?? null,
			metricCode: event.metric,
			quantity: formatDecimal(event.quantity),
			valueE6: judged.worth.valueE6,
			uniqueValue: judged.worth.uniqueValue,
			properties: event.properties,
			dimensions: dimensionsKey(event.dimensions),
			timestamp: event.timestamp,
			usageDate: localDate(event.timestamp, context.timeZone),
			receivedAt,
			reason: null,
			createdBy,
		},
	};
}

/** Whether any of the events counts toward a metric of `last` aggregation (it needs one more statement). */
export const anyLastMetric = (context: TenantUsageContext, events: readonly StoredEvent[]) =>
	events.some((e) => context.metrics.get(e.metricCode)?.aggregation === "last");
