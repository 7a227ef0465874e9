import { describe, expect, it } from "vitest";
import { api, newCustomer, newKey, newTenant } from "../helpers/api";
import { newPlan, subscribe } from "../helpers/subscriptions";
import { newMetric, quantityOf, sendUsage, waitForUsage } from "../helpers/usage";

const body = (customerId: number | string, overrides: Record<string, unknown> = {}) => ({
	customer_id: customerId,
	amount: 100.0,
	date: "2023-03-01",
	due_date: "2023-03-31",
	...overrides,
});

describe("seed 001 invoices at /v1/invoices", () => {
	it("creates, lists, reads, updates and deletes invoices by numeric id", async () => {
		const { key } = await newTenant("USD");
		const customer = await newCustomer(key, { name: "John Doe" });
		const first = await api("/v1/invoices", { key, body: body(customer.id) });
		expect(first.status).toBe(201);
		expect(first.body).toEqual({ id: 1, customer_id: 1, amount: 100, date: "2023-03-01", due_date: "2023-03-31" });
		const second = await api("/v1/invoices", {
			key,
			body: body(1, { amount: "50.25", date: "2023-03-15T12:34:56Z", due_date: "2023-04-15" }),
		});
		expect(second.body).toEqual({ id: 2, customer_id: 1, amount: 50.25, date: "2023-03-15", due_date: "2023-04-15" });

		const list = await api("/v1/invoices", { key });
		expect(list.status).toBe(200);
		expect(list.body.map((i: { id: number }) => i.id)).toEqual([1, 2]);
		expect((await api("/v1/invoices/2", { key })).body.amount).toBe(50.25);

		const updated = await api("/v1/invoices/2", { method: "PUT", key, body: { amount: 75, due_date: "2023-05-01" } });
		expect(updated.status).toBe(200);
		expect(updated.body).toMatchObject({ id: 2, amount: 75, due_date: "2023-05-01" });
		// The same invoice on the canonical API, in exact minor units.
		const canonical = await api("/v1/billing/invoices", { key });
		expect(canonical.body.data.map((i: { total: number }) => i.total).sort()).toEqual([10000, 7500]);

		expect((await api("/v1/invoices/1", { method: "DELETE", key })).status).toBe(204);
		expect((await api("/v1/invoices/1", { key })).status).toBe(404);
		expect((await api("/v1/invoices", { key })).body.map((i: { id: number }) => i.id)).toEqual([2]);
		const third = await api("/v1/invoices", { key, body: body(1) });
		expect(third.body.id).toBe(3);
	});

	it("numbers invoices made elsewhere when it first shows them, per tenant", async () => {
		const a = await newTenant();
		const b = await newTenant();
		const customer = await newCustomer(a.key);
		await api("/v1/billing/invoices", {
			key: a.key,
			body: { customer_id: customer.id, items: [{ description: "X", unit_price: 1234 }] },
		});
		const listed = await api("/v1/invoices", { key: a.key });
		expect(listed.body).toEqual([{ id: 1, customer_id: 1, amount: 12.34, date: null, due_date: null }]);
		expect((await api("/v1/invoices/1", { key: b.key })).status).toBe(404);
		expect((await api("/v1/invoices", { key: b.key })).body).toEqual([]);
	});

	it("gives concurrent creations distinct, consecutive numbers", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const created = await Promise.all(
			Array.from({ length: 6 }, () => api("/v1/invoices", { key, body: body(customer.id) })),
		);
		expect(created.map((r) => r.status)).toEqual(Array(6).fill(201));
		expect(created.map((r) => r.body.id).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
	});

	it("answers bad input with 400 and unknown ids with 404", async () => {
		const { key } = await newTenant("JPY");
		const customer = await newCustomer(key);
		const cases: [unknown, string][] = [
			[{ amount: 1, date: "2023-03-01", due_date: "2023-03-31" }, "customer_id"],
			[body(customer.id, { amount: 10.5 }), "amount"],
			[body(customer.id, { amount: -1 }), "amount"],
			[body(customer.id, { date: "2023-02-30" }), "date"],
			[body(customer.id, { due_date: "2023-02-01" }), "due_date"],
			[body(999), "customer_id"],
			[body("cus_missing"), "customer_id"],
		];
		for (const [sent, field] of cases) {
			const res = await api("/v1/invoices", { key, body: sent });
			expect(res.status, JSON.stringify(sent)).toBe(400);
			expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
		}
		expect(
			(await api("/v1/invoices", { key, rawBody: "{", headers: { "content-type": "application/json" } })).status,
		).toBe(400);
		expect((await api("/v1/invoices/42", { key })).status).toBe(404);
		// Beyond 2^53: refused as a malformed id rather than rounded to another invoice's.
		for (const id of ["9007199254740993", "123456789012345678901", "0", "-1", "1.5", "abc"]) {
			const res = await api(`/v1/invoices/${id}`, { key });
			expect(res.status, id).toBe(400);
		}
		expect((await api("/v1/invoices")).status).toBe(401);
		const reader = await newKey(key, "billing_reader");
		expect((await api("/v1/invoices", { key: reader.secret, body: body(customer.id) })).status).toBe(403);
	});
});

describe("seed 001 usage report at /v1/usage-report", () => {
	it("reports usage per customer and metric with its cost, narrowed by filters", async () => {
		const { key } = await newTenant();
		const clock = await api("/v1/billing/test-clocks", {
			key,
			body: { name: "Usage", frozen_time: "2026-03-01T08:00:00Z" },
		});
		const customer = await newCustomer(key, { test_clock_id: clock.body.id });
		await newMetric(key, { code: "ec2_hours", name: "EC2 hours", aggregation: "sum" });
		const plan = await newPlan(key, {
			amount: 0,
			charges: [{ metric: "ec2_hours", model: "per_unit", unit_amount: "50" }],
		});
		const sub = await subscribe(key, { customer_id: customer.id, plan_id: plan.id });
		const event = (id: string, quantity: number, region: string) => ({
			event_id: id,
			customer_id: customer.id,
			subscription_id: sub.id,
			metric: "ec2_hours",
			quantity,
			timestamp: "2026-03-05T12:00:00Z",
			dimensions: { region },
		});
		await sendUsage(key, [event(`e1-${sub.id}`, 2, "us-west-1"), event(`e2-${sub.id}`, 3, "eu-central-1")]);
		await waitForUsage(key, "from=2026-03-01&to=2026-03-31", (r) => quantityOf(r, "ec2_hours") === "5");

		const all = await api("/v1/usage-report", { key, body: { start_date: "2026-03-01", end_date: "2026-03-31" } });
		expect(all.status).toBe(200);
		expect(all.body.usage).toEqual([
			expect.objectContaining({
				resource_id: customer.id,
				service: "ec2_hours",
				quantity: "5",
				cost: 2.5,
				duration: 31 * 86_400,
			}),
		]);
		expect(all.body.total_cost).toBe(2.5);

		const west = await api("/v1/usage-report", {
			key,
			body: { start_date: "2026-03-01", end_date: "2026-03-31", filters: { region: "us-west-1" } },
		});
		expect(west.body).toMatchObject({ filters: { region: "us-west-1" }, total_cost: 1 });
		expect(west.body.usage[0]).toMatchObject({
			region: "us-west-1",
			quantity: "2",
			start_time: "2026-03-01T00:00:00Z",
			end_time: "2026-04-01T00:00:00Z",
		});

		const bad = await api("/v1/usage-report", { key, body: { start_date: "2026-03-31", end_date: "2026-03-01" } });
		expect(bad.status).toBe(400);
		expect(bad.body.errors[0].field).toBe("start_date");
	});
});

describe("the OpenAPI document", () => {
	it("lists both doors' paths next to the canonical API", async () => {
		const doc = await api("/openapi.json");
		expect(doc.status).toBe(200);
		const paths = Object.keys(doc.body.paths);
		for (const path of [
			"/v1/invoices",
			"/v1/invoices/{id}",
			"/v1/usage-report",
			"/api/v1/auth/login",
			"/api/v1/invoices/{id}/mark-as-sent",
			"/api/v1/dashboard/aging-report",
			"/v1/admin/tenants/{id}/users",
		]) {
			expect(paths).toContain(path);
		}
		const operationIds = Object.values(doc.body.paths).flatMap((ops) =>
			Object.values(ops as Record<string, { operationId?: string }>).map((op) => op.operationId),
		);
		expect(new Set(operationIds).size).toBe(operationIds.length);
	});
});
