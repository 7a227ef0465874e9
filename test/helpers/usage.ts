import { expect } from "vitest";
import { api } from "./api";

export async function newMetric(key: string, body: Record<string, unknown>) {
	const res = await api("/v1/billing/billable-metrics", { key, body: { name: "Metric", ...body } });
	if (res.status !== 201) throw new Error(`metric creation failed: ${res.status} ${res.text}`);
	return res.body;
}

export async function sendUsage(key: string, events: unknown) {
	const res = await api("/v1/billing/usage", { key, body: events });
	if (res.status !== 202) throw new Error(`usage not accepted: ${res.status} ${res.text}`);
	return res.body;
}

type UsageRow = {
	metric: string;
	customer_id: string;
	quantity: string;
	period_start: string;
	period_end: string;
	dimensions: Record<string, string | null>;
	events: number | null;
};

/** Polls GET /usage until `ready` holds for its rows (the queue consumer aggregates asynchronously). */
export async function waitForUsage(key: string, query: string, ready: (rows: UsageRow[]) => boolean) {
	let rows: UsageRow[] = [];
	for (let attempt = 0; attempt < 100; attempt++) {
		const res = await api(`/v1/billing/usage?${query}`, { key });
		expect(res.status).toBe(200);
		rows = res.body.data;
		if (ready(rows)) return rows;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`usage never became ready: ${JSON.stringify(rows)}`);
}

export const quantityOf = (rows: UsageRow[], metric: string) => rows.find((r) => r.metric === metric)?.quantity ?? "0";
