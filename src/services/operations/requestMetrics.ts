// Request counters and a latency histogram kept in this isolate's memory. Workers run many isolates,
// so each scrape sees one isolate's share; Prometheus sums them as it would across any replicas.

const LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000] as const;

type Series = { count: number; sumMs: number; buckets: number[] };

const series = new Map<string, Series>();
const isolateStartedAt = Date.now();

export type RequestSample = { method: string; route: string; status: number; durationMs: number; tenantId?: string };

const labelKey = (tenantId: string, method: string, route: string, status: number) =>
	JSON.stringify([tenantId, method, route, status]);

export function recordRequest(sample: RequestSample): void {
	if (!sample.tenantId) return;
	const key = labelKey(sample.tenantId, sample.method, sample.route, sample.status);
	let entry = series.get(key);
	if (!entry) {
		entry = { count: 0, sumMs: 0, buckets: LATENCY_BUCKETS_MS.map(() => 0) };
		series.set(key, entry);
	}
	entry.count += 1;
	entry.sumMs += sample.durationMs;
	LATENCY_BUCKETS_MS.forEach((bound, i) => {
		if (sample.durationMs <= bound) entry.buckets[i] = (entry.buckets[i] ?? 0) + 1;
	});
}

export type RequestSeries = { method: string; route: string; status: number } & Series;

/** One tenant's series: a tenant never sees another tenant's traffic. */
export function requestSeriesFor(tenantId: string): RequestSeries[] {
	const out: RequestSeries[] = [];
	for (const [key, value] of series) {
		const [tenant, method, route, status] = JSON.parse(key) as [string, string, string, number];
		if (tenant === tenantId) out.push({ method, route, status, ...value });
	}
	return out;
}

export const latencyBucketsMs = LATENCY_BUCKETS_MS;
export const isolateUptimeSeconds = () => (Date.now() - isolateStartedAt) / 1000;
