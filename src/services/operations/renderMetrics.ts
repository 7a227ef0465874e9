import { and, count, eq, exists, isNull } from "drizzle-orm";
import { customers, outboxEvents, webhookEndpoints } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { isolateUptimeSeconds, latencyBucketsMs, requestSeriesFor } from "./requestMetrics";

type Labels = Record<string, string | number>;

const escapeLabel = (value: string | number) =>
	String(value).replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
const labelText = (labels: Labels) => {
	const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
	return pairs.length ? `{${pairs.join(",")}}` : "";
};

class Exposition {
	private lines: string[] = [];
	family(name: string, type: "counter" | "gauge" | "histogram", help: string) {
		this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
		return this;
	}
	sample(name: string, labels: Labels, value: number) {
		this.lines.push(`${name}${labelText(labels)} ${value}`);
		return this;
	}
	toString() {
		return `${this.lines.join("\n")}\n`;
	}
}

/** Prometheus text exposition (version 0.0.4) of the tenant's own gauges and this isolate's traffic. */
export async function renderMetrics(ctx: ServiceContext): Promise<string> {
	const [customerCounts, backlog] = await Promise.all([
		ctx.db
			.select({ status: customers.status, n: count() })
			.from(customers)
			.where(eq(customers.tenantId, ctx.tenantId))
			.groupBy(customers.status),
		ctx.db
			.select({ n: count() })
			.from(outboxEvents)
			.where(
				and(
					eq(outboxEvents.tenantId, ctx.tenantId),
					isNull(outboxEvents.dispatchedAt),
					// A tenant without endpoints hands nothing to the queue: its events wait for the sweep only.
					exists(
						ctx.db
							.select({ id: webhookEndpoints.id })
							.from(webhookEndpoints)
							.where(eq(webhookEndpoints.tenantId, ctx.tenantId)),
					),
				),
			)
			.get(),
	]);
	const out = new Exposition();
	out.family("billing_customers", "gauge", "Billing accounts by status.");
	for (const row of customerCounts) out.sample("billing_customers", { status: row.status }, row.n);
	out
		.family(
			"billing_outbox_undispatched_events",
			"gauge",
			"Events written but not yet handed to the webhooks queue (none while the tenant has no endpoint).",
		)
		.sample("billing_outbox_undispatched_events", {}, backlog?.n ?? 0);

	const series = requestSeriesFor(ctx.tenantId);
	out.family("billing_http_requests_total", "counter", "HTTP requests served by this isolate.");
	for (const s of series)
		out.sample("billing_http_requests_total", { method: s.method, route: s.route, status: s.status }, s.count);
	out.family("billing_http_request_duration_ms", "histogram", "HTTP request latency in this isolate, milliseconds.");
	for (const s of series) {
		const labels = { method: s.method, route: s.route, status: s.status };
		latencyBucketsMs.forEach((bound, i) => {
			out.sample("billing_http_request_duration_ms_bucket", { ...labels, le: bound }, s.buckets[i] ?? 0);
		});
		out.sample("billing_http_request_duration_ms_bucket", { ...labels, le: "+Inf" }, s.count);
		out.sample("billing_http_request_duration_ms_sum", labels, Math.round(s.sumMs * 1000) / 1000);
		out.sample("billing_http_request_duration_ms_count", labels, s.count);
	}
	out
		.family("billing_isolate_uptime_seconds", "gauge", "Seconds since this isolate started.")
		.sample("billing_isolate_uptime_seconds", {}, Math.round(isolateUptimeSeconds()));
	return out.toString();
}
