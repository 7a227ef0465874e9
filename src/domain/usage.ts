// Pure rules of metered usage: what one event is worth to its metric, how dimensions are keyed, and
// how usage quantities are held exactly (millionths in integers, never binary floats).
import { type Decimal, formatDecimal, parseDecimal, pow10 } from "./decimal";

export const AGGREGATIONS = ["sum", "count", "max", "unique_count", "last"] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

/** Usage quantities carry at most six decimals; aggregates hold them as integer millionths. */
export const USAGE_SCALE = 6;
/** The largest quantity one event may carry, so that any day's sum stays an exact 64-bit integer. */
export const MAX_EVENT_QUANTITY = 1_000_000_000;

export type MetricDefinition = { aggregation: Aggregation; field: string | null };
export type EventWorth = { valueE6: number; uniqueValue: string | null };

/** A quantity in millionths, exact (the caller has bounded it to MAX_EVENT_QUANTITY). */
export const toE6 = (value: Decimal): number => Number((value.units * pow10(USAGE_SCALE)) / pow10(value.scale));

export const fromE6 = (valueE6: bigint | number): Decimal => ({ units: BigInt(valueE6), scale: USAGE_SCALE });

export const formatE6 = (valueE6: bigint | number): string => formatDecimal(fromE6(valueE6));

/**
 * What one event adds to its metric: its quantity (or the metric's property) for sum, max and last;
 * one for count (an adjustment adds its own quantity); the property's value for unique_count. An
 * event the metric cannot read (property missing or not a number) gets a message instead.
 */
export function eventWorth(
	metric: MetricDefinition,
	event: { kind: "event" | "adjustment"; quantity: Decimal; properties: Record<string, unknown> },
): EventWorth | { problem: string } {
	if (metric.aggregation === "unique_count") {
		const field = metric.field ?? "";
		const value = event.properties[field];
		if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean")
			return { problem: `needs property '${field}' (string or number) for metric of unique_count` };
		return { valueE6: 0, uniqueValue: String(value) };
	}
	if (metric.aggregation === "count" && event.kind === "event")
		return { valueE6: 10 ** USAGE_SCALE, uniqueValue: null };
	if (metric.field === null || event.kind === "adjustment") return { valueE6: toE6(event.quantity), uniqueValue: null };
	const raw = event.properties[metric.field];
	const value = typeof raw === "number" || typeof raw === "string" ? parseDecimal(raw, USAGE_SCALE) : null;
	if (value === null || value.units < 0n || value.units > BigInt(MAX_EVENT_QUANTITY) * pow10(value.scale))
		return {
			problem: `needs property '${metric.field}' as a number from 0 to ${MAX_EVENT_QUANTITY} with at most ${USAGE_SCALE} decimals`,
		};
	return { valueE6: toE6(value), uniqueValue: null };
}

/** Dimensions as canonical JSON (keys sorted), so equal dimensions always share one aggregate. */
export function dimensionsKey(dimensions: Record<string, string>): string {
	const sorted: Record<string, string> = {};
	for (const key of Object.keys(dimensions).sort()) sorted[key] = dimensions[key] as string;
	return JSON.stringify(sorted);
}

/** The JSON path of a dimension inside the canonical dimensions text (keys are validated identifiers). */
export const dimensionPath = (key: string): string => `$."${key}"`;

/**
 * Which of a customer's subscriptions bills the usage sent for the customer alone (no subscription
 * id) of a metric: the oldest live one whose plan prices that metric, so such usage is billed once.
 */
export function billsCustomerLevelUsage(
	subscriptionId: string,
	metric: string,
	liveSubscriptions: readonly { id: string; metrics: readonly string[] }[],
): boolean {
	const owner = [...liveSubscriptions].sort((a, b) => (a.id < b.id ? -1 : 1)).find((s) => s.metrics.includes(metric));
	return owner?.id === subscriptionId;
}
