import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, expectProblem, newCustomer, newTenant, waitForJob } from "../helpers/api";
import { newPlan, subscribe } from "../helpers/subscriptions";
import { newMetric, quantityOf, sendUsage, waitForUsage } from "../helpers/usage";

const MARCH = "from=2026-03-01&to=2026-03-31";
const at = (day: number) => `2026-03-${String(day).padStart(2, "0")}T12:00:00Z`;

describe("billable metrics", () => {
	it("defines metrics, refuses bad ones naming the field, and never changes how they aggregate", async () => {
		const { key } = await newTenant();
		const metric = await newMetric(key, { code: "api_calls", aggregation: "count", filters: { region: ["eu"] } });
		expect(metric).toMatchObject({ object: "billable_metric", code: "api_calls", aggregation: "count", field: null });
		expect(metric.id).toMatch(/^bm_/);
		const noField = await api("/v1/billing/billable-metrics", {
			key,
			body: { code: "users", name: "Users", aggregation: "unique_count" },
		});
		expect(expectProblem(noField, 422, "validation_failed").errors[0].field).toBe("field");
		const badAggregation = await api("/v1/billing/billable-metrics", {
			key,
			body: { code: "x", name: "X", aggregation: "median" },
		});
		expect(expectProblem(badAggregation, 422, "validation_failed").errors[0].field).toBe("aggregation");
		expectProblem(
			await api("/v1/billing/billable-metrics", {
				key,
				body: { code: "api_calls", name: "Again", aggregation: "sum" },
			}),
			409,
			"conflict",
		);
		const renamed = await api(`/v1/billing/billable-metrics/${metric.id}`, {
			key,
			method: "PATCH",
			body: { name: "API requests", version: 1 },
		});
		expect(renamed.body).toMatchObject({ name: "API requests", version: 2, aggregation: "count" });
		const immutable = await api(`/v1/billing/billable-metrics/${metric.id}`, {
			key,
			method: "PATCH",
			body: { aggregation: "sum" },
		});
		expect(expectProblem(immutable, 422, "validation_failed").errors[0].field).toBe("aggregation");
		expect((await api("/v1/billing/billable-metrics", { key })).body.data).toHaveLength(1);
		const other = await newTenant();
		expectProblem(await api(`/v1/billing/billable-metrics/${metric.id}`, { key: other.key }), 404, "not_found");
	});
});

describe("usage ingestion", () => {
	it("accepts one event, an array or NDJSON; reports bad events by index and keeps the good ones", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		await newMetric(key, { code: "api_calls", aggregation: "sum" });
		const one = await sendUsage(key, { customer_id: customer.id, metric: "api_calls", quantity: 2, timestamp: at(1) });
		expect(one).toMatchObject({ object: "usage_ingestion", accepted: 1, rejected: [] });
		const mixed = await api("/v1/billing/usage", {
			key,
			body: [
				{ customer_id: customer.id, metric: "api_calls", quantity: "1.5", timestamp: at(2) },
				{ customer_id: customer.id, metric: "api_calls", quantity: -1, timestamp: at(2) },
				{ metric: "api_calls", timestamp: at(2) },
				{ customer_id: customer.id, metric: "api_calls", timestamp: "2999-01-01T00:00:00Z" },
				{ customer_id: customer.id, metric: "api_calls", quantity: "0.0000001", timestamp: at(2) },
			],
		});
		expect(mixed.status).toBe(202);
		expect(mixed.body.accepted).toBe(1);
		expect(
			mixed.body.rejected.map((r: { index: number; errors: { field: string }[] }) => [r.index, r.errors[0]?.field]),
		).toEqual([
			[1, "quantity"],
			[2, "customer_id"],
			[3, "timestamp"],
			[4, "quantity"],
		]);
		const ndjson = await api("/v1/billing/usage", {
			key,
			rawBody: `${JSON.stringify({ event_id: "n1", customer_id: customer.id, metric: "api_calls", timestamp: at(3) })}\nnot json\n`,
			headers: { "content-type": "application/x-ndjson" },
		});
		expect(ndjson.status).toBe(202);
		expect(ndjson.body).toMatchObject({ accepted: 1, event_ids: ["n1"] });
		expect(ndjson.body.rejected[0].index).toBe(1);
		const rows = await waitForUsage(key, MARCH, (r) => quantityOf(r, "api_calls") === "4.5");
		expect(rows[0]).toMatchObject({
			customer_id: customer.id,
			period_start: "2026-03-01",
			period_end: "2026-03-31",
			events: 3,
		});
	});

	it("refuses a request where no event can be accepted, and events for another tenant's customer", async () => {
		const { key } = await newTenant();
		const other = await newTenant();
		const foreign = await newCustomer(other.key);
		const res = await api("/v1/billing/usage", {
			key,
			body: [{ customer_id: foreign.id, metric: "api_calls", timestamp: at(1) }, { quantity: 1 }],
		});
		const problem = expectProblem(res, 422, "validation_failed");
		expect(problem.errors.map((e: { field: string }) => e.field)).toEqual(["0.customer_id", "1.metric"]);
		const empty = expectProblem(await api("/v1/billing/usage", { key, body: [] }), 422, "validation_failed");
		expect(empty.errors[0].field).toBe("body");
	});

	it("reports a timestamp outside the calendar by index and field, not as a server error", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const event = (timestamp: string) => ({ customer_id: customer.id, metric: "api_calls", timestamp });
		const res = await api("/v1/billing/usage", {
			key,
			body: [event(at(1)), event("0000-06-01T00:00:00Z"), event("0001-01-01T00:00:00+01:00")],
		});
		expect(res.status).toBe(202);
		expect(res.body.accepted).toBe(1);
		expect(res.body.rejected).toEqual(
			[1, 2].map((index) => ({
				index,
				event_id: null,
				errors: [{ field: "timestamp", message: "must fall between 0001-01-02 and 9999-12-30 (UTC)" }],
			})),
		);
	});

	it("checks every customer a request names, more of them than one statement binds", async () => {
		const { key } = await newTenant();
		const known = [await newCustomer(key), await newCustomer(key), await newCustomer(key)];
		// 150 customers named: three of this tenant, first, in the middle and last; the rest unknown.
		const named = Array.from({ length: 150 }, (_, i) => `cus_unknown_${i}`);
		for (const [i, position] of [0, 75, 149].entries()) named[position] = known[i]?.id as string;
		const res = await api("/v1/billing/usage", {
			key,
			body: named.map((customer_id) => ({ customer_id, metric: "api_calls", timestamp: at(1) })),
		});
		expect(res.status).toBe(202);
		expect(res.body.accepted).toBe(3);
		expect(res.body.rejected).toHaveLength(147);
		expect(res.body.rejected.map((r: { index: number }) => r.index)).not.toContain(75);
	});

	it("counts the same events sent twice and out of order once", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		await newMetric(key, { code: "api_calls", aggregation: "sum" });
		const events = Array.from({ length: 20 }, (_, i) => ({
			event_id: `evt-${i}`,
			customer_id: customer.id,
			metric: "api_calls",
			quantity: 1,
			timestamp: at(1 + (i % 5)),
		}));
		await sendUsage(key, events.slice(10));
		await sendUsage(key, [...events].reverse());
		await sendUsage(key, events.slice(0, 5));
		await waitForUsage(key, MARCH, (r) => quantityOf(r, "api_calls") === "20");
		// A later sweep finds nothing more to count.
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const rows = await waitForUsage(key, MARCH, () => true);
		expect(quantityOf(rows, "api_calls")).toBe("20");
	});

	it("keeps events for a metric defined later, and counts them once it is", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		await sendUsage(key, [
			{ event_id: "early-1", customer_id: customer.id, metric: "gb_stored", quantity: 3, timestamp: at(4) },
			{ event_id: "early-2", customer_id: customer.id, metric: "gb_stored", quantity: 4, timestamp: at(5) },
		]);
		// Wait until the consumer has stored them (as pending).
		for (let i = 0; i < 100; i++) {
			const row = await env.DB.prepare(
				"select count(*) as n from usage_events where event_id like 'early-%' and customer_id = ?",
			)
				.bind(customer.id)
				.first<{ n: number }>();
			if (row?.n === 2) break;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		await newMetric(key, { code: "gb_stored", aggregation: "max" });
		await waitForUsage(key, MARCH, (r) => quantityOf(r, "gb_stored") === "4");
	});

	it("groups by dimension and day, filters by dimensions, and applies the metric's own filters", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		await newMetric(key, { code: "requests", aggregation: "count" });
		await newMetric(key, { code: "eu_requests", aggregation: "count", filters: { region: ["eu-west", "eu-central"] } });
		const event = (metric: string, region: string, day: number) => ({
			customer_id: customer.id,
			metric,
			timestamp: at(day),
			dimensions: { region, tier: "gold" },
		});
		await sendUsage(key, [
			event("requests", "eu-west", 1),
			event("requests", "eu-west", 1),
			event("requests", "us-east", 2),
			event("eu_requests", "eu-west", 1),
			event("eu_requests", "eu-central", 2),
			event("eu_requests", "us-east", 2),
		]);
		const byRegion = await waitForUsage(
			key,
			`${MARCH}&metric=requests&group_by=region`,
			(r) => r.reduce((n, row) => n + Number(row.quantity), 0) === 3,
		);
		expect(byRegion.map((r) => [r.dimensions.region, r.quantity])).toEqual([
			["eu-west", "2"],
			["us-east", "1"],
		]);
		const daily = await waitForUsage(key, `${MARCH}&metric=requests&interval=day`, (r) => r.length === 2);
		expect(daily.map((r) => [r.period_start, r.period_end, r.quantity])).toEqual([
			["2026-03-01", "2026-03-01", "2"],
			["2026-03-02", "2026-03-02", "1"],
		]);
		const filtered = await waitForUsage(
			key,
			`${MARCH}&metric=requests&dimensions[region]=us-east`,
			(r) => r.length === 1,
		);
		expect(filtered[0]?.quantity).toBe("1");
		const eu = await waitForUsage(key, `${MARCH}&metric=eu_requests`, (r) => quantityOf(r, "eu_requests") === "2");
		expect(eu).toHaveLength(1);
		expectProblem(await api(`/v1/billing/usage?${MARCH}&group_by=bad%20key`, { key }), 422, "validation_failed");
		expectProblem(await api("/v1/billing/usage?from=2026-03-10&to=2026-03-01", { key }), 422, "validation_failed");
	});
});

describe("usage adjustments, jobs and reports", () => {
	it("records adjustments with a reason, never editing history, once per adjustment id", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		await newMetric(key, { code: "api_calls", aggregation: "sum" });
		await newMetric(key, { code: "peak", aggregation: "max" });
		await sendUsage(key, { customer_id: customer.id, metric: "api_calls", quantity: 10, timestamp: at(3) });
		await waitForUsage(key, MARCH, (r) => quantityOf(r, "api_calls") === "10");
		const noReason = await api("/v1/billing/usage/adjust", {
			key,
			body: { customer_id: customer.id, metric: "api_calls", quantity: -4, date: "2026-03-03" },
		});
		expect(expectProblem(noReason, 422, "validation_failed").errors[0].field).toBe("reason");
		const body = {
			customer_id: customer.id,
			metric: "api_calls",
			quantity: -4,
			date: "2026-03-03",
			reason: "Retried requests counted twice",
			adjustment_id: "fix-1",
		};
		const adjusted = await api("/v1/billing/usage/adjust", { key, body });
		expect(adjusted.status).toBe(201);
		expect(adjusted.body).toMatchObject({
			id: "fix-1",
			object: "usage_adjustment",
			quantity: "-4",
			date: "2026-03-03",
		});
		await api("/v1/billing/usage/adjust", { key, body });
		expect(quantityOf(await waitForUsage(key, MARCH, () => true), "api_calls")).toBe("6");
		const onMax = await api("/v1/billing/usage/adjust", {
			key,
			body: { ...body, metric: "peak", adjustment_id: "fix-2" },
		});
		expect(expectProblem(onMax, 422, "validation_failed").errors[0].field).toBe("metric");
		const edit = env.DB.prepare("update usage_events set quantity = '1' where event_id = 'fix-1'").run();
		await expect(edit).rejects.toThrow(/append-only/);
		const audit = await api("/v1/billing/audit?action=usage.adjusted", { key });
		expect(audit.body.data[0]?.target_id ?? audit.body.data[0]?.target?.id).toBe("fix-1");
	});

	it("ingests NDJSON in bulk through a job, and rebuilds aggregates to the same numbers", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		await newMetric(key, { code: "api_calls", aggregation: "sum" });
		const lines = Array.from({ length: 30 }, (_, i) =>
			JSON.stringify({ customer_id: customer.id, metric: "api_calls", quantity: 2, timestamp: at(1 + (i % 28)) }),
		);
		lines.splice(5, 0, '{"metric": 42}');
		const res = await api("/v1/billing/usage/ingest/bulk", {
			key,
			rawBody: `${lines.join("\n")}\n`,
			headers: { "content-type": "application/x-ndjson" },
		});
		expect(res.status).toBe(202);
		const job = await waitForJob(key, res.body.id);
		expect(job).toMatchObject({ status: "succeeded", progress: { processed: 31, succeeded: 30, failed: 1 } });
		expect(job.errors[0].line).toBe(6);
		expect(quantityOf(await waitForUsage(key, MARCH, () => true), "api_calls")).toBe("60");
		const rebuild = await api("/v1/billing/usage/aggregate", { key, body: { from: "2026-03-01", to: "2026-03-31" } });
		expect(rebuild.status).toBe(202);
		expect((await waitForJob(key, rebuild.body.id)).status).toBe("succeeded");
		const rows = await waitForUsage(key, MARCH, () => true);
		expect(rows[0]).toMatchObject({ quantity: "60", events: 30 });
	});
});

describe("usage on subscription invoices", () => {
	async function meteredSubscription(charge: Record<string, unknown>) {
		const { key } = await newTenant();
		const clock = await api("/v1/billing/test-clocks", {
			key,
			body: { name: "Metered", frozen_time: "2026-03-01T08:00:00Z" },
		});
		const customer = await newCustomer(key, { test_clock_id: clock.body.id });
		await newMetric(key, { code: "api_calls", name: "API calls", aggregation: "sum" });
		const plan = await newPlan(key, { amount: 1000, charges: [{ metric: "api_calls", ...charge }] });
		const sub = await subscribe(key, { customer_id: customer.id, plan_id: plan.id });
		const advance = (frozen_time: string) =>
			api(`/v1/billing/test-clocks/${clock.body.id}/advance`, { key, body: { frozen_time } });
		return { key, customer, plan, sub, advance };
	}

	const invoicesOf = async (key: string, subscriptionId: string) => {
		const list = await api(`/v1/billing/subscriptions/${subscriptionId}/invoices`, { key });
		const ids = (list.body.data as { id: string; period: { start: string } }[])
			.sort((a, b) => (a.period.start < b.period.start ? -1 : 1))
			.map((i) => i.id);
		return Promise.all(ids.map(async (id) => (await api(`/v1/billing/invoices/${id}`, { key })).body));
	};

	it("refuses charges for unknown metrics and malformed tiers, naming the field", async () => {
		const { key } = await newTenant();
		const unknown = await api("/v1/billing/plans", {
			key,
			body: {
				code: "m",
				name: "M",
				interval: "month",
				amount: 0,
				currency: "EUR",
				charges: [{ metric: "nope", model: "per_unit", unit_amount: "1" }],
			},
		});
		expect(expectProblem(unknown, 422, "validation_failed").errors[0].field).toBe("charges.0.metric");
		await newMetric(key, { code: "api_calls", aggregation: "sum" });
		const tiers = await api("/v1/billing/plans", {
			key,
			body: {
				code: "m",
				name: "M",
				interval: "month",
				amount: 0,
				currency: "EUR",
				charges: [{ metric: "api_calls", model: "graduated", tiers: [{ up_to: 100, unit_amount: "1" }] }],
			},
		});
		expect(expectProblem(tiers, 422, "validation_failed").errors[0].field).toBe("charges.0.tiers");
	});

	it("bills a period's rated usage on the next invoice, and late usage as a difference after that", async () => {
		const { key, customer, sub, advance } = await meteredSubscription({
			model: "graduated",
			tiers: [
				{ up_to: 1000, unit_amount: "0" },
				{ up_to: 5000, unit_amount: "0.5" },
				{ up_to: null, unit_amount: "0.25" },
			],
		});
		await sendUsage(key, [
			{ event_id: "a", customer_id: customer.id, metric: "api_calls", quantity: 3000, timestamp: at(10) },
			{ event_id: "b", subscription_id: sub.id, metric: "api_calls", quantity: 2000, timestamp: at(20) },
		]);
		await waitForUsage(key, MARCH, (r) => quantityOf(r, "api_calls") === "5000");
		// Exactly on the tier boundary: 1,000 free, 4,000 × 0.5.
		const preview = await api(
			`/v1/billing/usage/preview-invoice?subscription_id=${sub.id}&from=2026-03-01&to=2026-03-31`,
			{ key },
		);
		expect(preview.status).toBe(200);
		expect(preview.body.total).toBe(2000);
		// The next invoice as its billing date will issue it: the plan, and March's usage so far.
		const upcoming = await api(`/v1/billing/subscriptions/${sub.id}/upcoming`, { key });
		expect(upcoming.body).toMatchObject({ id: null, issue_date: "2026-04-01", total: 3000 });
		expect((await advance("2026-04-01T08:00:00Z")).status).toBe(200);
		const [march, april] = await invoicesOf(key, sub.id);
		expect(april.lines.map((l: { description: string }) => l.description)).toEqual(
			upcoming.body.lines.map((l: { description: string }) => l.description),
		);
		expect(march.total).toBe(1000);
		expect(april.lines.map((l: { sku: string; amount: number }) => [l.sku, l.amount])).toEqual([
			[expect.any(String), 1000],
			["api_calls", 2000],
		]);
		expect(april.lines[1].description).toContain("2026-03-01 – 2026-03-31");
		// A late event for March, after March was invoiced: billed on May's invoice as the difference.
		await sendUsage(key, {
			event_id: "late",
			customer_id: customer.id,
			metric: "api_calls",
			quantity: 400,
			timestamp: at(30),
		});
		await waitForUsage(key, MARCH, (r) => quantityOf(r, "api_calls") === "5400");
		await advance("2026-05-01T08:00:00Z");
		const may = (await invoicesOf(key, sub.id))[2];
		const late = may.lines.find((l: { description: string }) => l.description.includes("late usage"));
		expect(late).toMatchObject({ sku: "api_calls", amount: 100 });
		// A downward correction of March after that: a credit note on March's usage invoice.
		const fix = await api("/v1/billing/usage/adjust", {
			key,
			body: {
				customer_id: customer.id,
				metric: "api_calls",
				quantity: -2400,
				date: "2026-03-15",
				reason: "Test traffic",
			},
		});
		expect(fix.status).toBe(201);
		await advance("2026-06-01T08:00:00Z");
		const notes = await api(`/v1/billing/credit-notes?invoice_id=${april.id}`, { key });
		const note = (notes.body.data as { invoice_id: string; amount: number }[]).find((n) => n.invoice_id === april.id);
		expect(note?.amount).toBe(1100);
		const june = (await invoicesOf(key, sub.id))[3];
		expect(june.lines.some((l: { description: string }) => l.description.includes("late usage"))).toBe(false);
	});

	it("prices volume tiers on boundary quantities and reports costs per customer", async () => {
		const { key, customer, sub } = await meteredSubscription({
			model: "volume",
			tiers: [
				{ up_to: 100, unit_amount: "10" },
				{ up_to: null, unit_amount: "5", flat_amount: 100 },
			],
		});
		await sendUsage(key, {
			customer_id: customer.id,
			subscription_id: sub.id,
			metric: "api_calls",
			quantity: 100,
			timestamp: at(5),
		});
		await waitForUsage(key, MARCH, (r) => quantityOf(r, "api_calls") === "100");
		const report = await api("/v1/billing/usage/report", {
			key,
			body: { start_date: "2026-03-01", end_date: "2026-03-31", filters: {} },
		});
		expect(report.status).toBe(200);
		expect(report.body.usage[0]).toMatchObject({
			metric: "api_calls",
			quantity: "100",
			amount: 1000,
			cost: "10.00",
			currency: "EUR",
		});
		expect(report.body.total_cost).toBe("10.00");
		await sendUsage(key, { customer_id: customer.id, metric: "api_calls", quantity: 1, timestamp: at(6) });
		await waitForUsage(key, MARCH, (r) => quantityOf(r, "api_calls") === "101");
		const above = await api(
			`/v1/billing/usage/preview-invoice?subscription_id=${sub.id}&from=2026-03-01&to=2026-03-31`,
			{ key },
		);
		expect(above.body.total).toBe(101 * 5 + 100);
		const bad = await api("/v1/billing/usage/report", {
			key,
			body: { start_date: "2026-03-31", end_date: "2026-03-01" },
		});
		expect(expectProblem(bad, 422, "validation_failed").errors[0].field).toBe("start_date");
	});

	it("answers 404 for another tenant's customer on every usage read and job, as every other endpoint does", async () => {
		const { key } = await newTenant();
		const { key: otherKey } = await newTenant();
		const stranger = await newCustomer(otherKey);
		const window = { start_date: "2026-03-01", end_date: "2026-03-31" };
		expectProblem(
			await api("/v1/billing/usage/report", { key, body: { ...window, customer_id: stranger.id } }),
			404,
			"not_found",
		);
		expectProblem(
			await api("/v1/billing/usage/aggregate", { key, body: { customer_id: stranger.id } }),
			404,
			"not_found",
		);
		expectProblem(await api(`/v1/billing/usage?customer_id=${stranger.id}&${MARCH}`, { key }), 404, "not_found");
	});

	it("bills the final usage when a subscription ends, at period end or at once", async () => {
		const { key, customer, sub, advance } = await meteredSubscription({ model: "per_unit", unit_amount: "2" });
		await sendUsage(key, { customer_id: customer.id, metric: "api_calls", quantity: 50, timestamp: at(12) });
		await waitForUsage(key, MARCH, (r) => quantityOf(r, "api_calls") === "50");
		await api(`/v1/billing/subscriptions/${sub.id}/cancel`, { key, method: "POST" });
		await advance("2026-04-01T08:00:00Z");
		const ended = await api(`/v1/billing/subscriptions/${sub.id}`, { key });
		expect(ended.body).toMatchObject({ status: "canceled", ended_at: "2026-04-01" });
		const invoices = await api(`/v1/billing/invoices?customer_id=${customer.id}`, { key });
		const final = (invoices.body.data as { total: number; issue_date: string }[]).find(
			(i) => i.issue_date === "2026-04-01",
		);
		expect(final?.total).toBe(100);

		const other = await meteredSubscription({ model: "per_unit", unit_amount: "3" });
		await sendUsage(other.key, {
			customer_id: other.customer.id,
			metric: "api_calls",
			quantity: 7,
			timestamp: "2026-03-01T09:00:00Z",
		});
		await waitForUsage(other.key, MARCH, (r) => quantityOf(r, "api_calls") === "7");
		const now = await api(`/v1/billing/subscriptions/${other.sub.id}/cancel`, {
			key: other.key,
			body: { at_period_end: false, prorate: false },
		});
		expect(now.body.status).toBe("canceled");
		const bills = await api(`/v1/billing/invoices?customer_id=${other.customer.id}`, { key: other.key });
		expect((bills.body.data as { total: number }[]).map((i) => i.total).sort((a, b) => a - b)).toEqual([21, 1000]);
	});
});
