import { describe, expect, it } from "vitest";
import { api, expectProblem, newCustomer, newTenant } from "../helpers/api";
import { pay } from "../helpers/payments";
import { newPlan, subscribe } from "../helpers/subscriptions";

const createV13 = (key: string, body: unknown) => api("/v1/billing/invoice", { key, body });

describe("seed 002: POST /v1/billing/invoice", () => {
	it("issues the invoice with amounts in cents and answers in the seed's shape", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const res = await createV13(key, {
			customer_id: customer.id,
			line_items: [
				{ description: "Pro Plan - Monthly", amount: 2999, quantity: 1 },
				{ description: "Seats", amount: 500, quantity: 3 },
				{ description: "Setup", amount: 1000 },
			],
			due_date: "2030-02-15",
			memo: "Thanks",
		});
		expect(res.status).toBe(201);
		expect(res.body).toEqual({
			id: expect.stringMatching(/^inv_/),
			customer_id: customer.id,
			subscription_id: null,
			status: "open",
			total: 2999 + 1500 + 1000,
			line_items: [
				{ description: "Pro Plan - Monthly", amount: 2999, quantity: 1 },
				{ description: "Seats", amount: 500, quantity: 3 },
				{ description: "Setup", amount: 1000, quantity: 1 },
			],
			memo: "Thanks",
			due_date: "2030-02-15",
			created_at: expect.any(String),
		});
		// The same invoice on the canonical API: one implementation behind both surfaces.
		const canonical = await api(`/v1/billing/invoices/${res.body.id}`, { key });
		expect(canonical.body).toMatchObject({ status: "issued", total: 5499, balance: 5499, due_date: "2030-02-15" });
	});

	it("links a subscription of the same customer, and refuses another customer's", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const other = await newCustomer(key, { name: "Other" });
		const plan = await newPlan(key);
		const sub = await subscribe(key, { customer_id: customer.id, plan_id: plan.id });
		const line_items = [{ description: "Extra", amount: 100 }];
		const linked = await createV13(key, { customer_id: customer.id, subscription_id: sub.id, line_items });
		expect(linked.status).toBe(201);
		expect(linked.body.subscription_id).toBe(sub.id);
		const mismatch = await createV13(key, { customer_id: other.id, subscription_id: sub.id, line_items });
		expect(expectProblem(mismatch, 400, "invalid_request").errors[0].field).toBe("subscription_id");
		expectProblem(
			await createV13(key, { customer_id: customer.id, subscription_id: "sub_01JD3Q8W5Z9K2M4N6P8R0T2V4X", line_items }),
			404,
			"not_found",
		);
	});

	it("answers 400 for invalid parameters and 404 for an unknown or another tenant's customer", async () => {
		const { key } = await newTenant();
		const other = await newTenant();
		const customer = await newCustomer(key);
		const foreign = await newCustomer(other.key);
		const line = { description: "x", amount: 100 };
		const cases: [unknown, string][] = [
			[{ customer_id: customer.id, line_items: [] }, "line_items"],
			[{ customer_id: customer.id, line_items: [{ ...line, amount: 1.5 }] }, "line_items.0.amount"],
			[{ customer_id: customer.id, line_items: [{ ...line, quantity: 0 }] }, "line_items.0.quantity"],
			[{ customer_id: customer.id, line_items: [line], memo: "m".repeat(1001) }, "memo"],
			[{ customer_id: customer.id, line_items: [line], due_date: "15/02/2030" }, "due_date"],
			[
				{ customer_id: customer.id, line_items: [{ ...line, description: "d".repeat(501) }] },
				"line_items.0.description",
			],
			[{ line_items: [line] }, "customer_id"],
		];
		for (const [body, field] of cases) {
			const problem = expectProblem(await createV13(key, body), 400, "invalid_request");
			expect(problem.errors.map((e: { field: string }) => e.field)).toContain(field);
		}
		expectProblem(await createV13(key, { customer_id: foreign.id, line_items: [line] }), 404, "not_found");
	});
});

describe("seed 002: GET /v1/billing/invoice", () => {
	it("filters by customer and the seed's statuses, and pages by limit and offset", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const other = await newCustomer(key, { name: "Other" });
		const ids: string[] = [];
		for (let i = 1; i <= 5; i++) {
			const res = await createV13(key, {
				customer_id: customer.id,
				line_items: [{ description: `#${i}`, amount: i * 100 }],
			});
			ids.push(res.body.id);
		}
		await createV13(key, { customer_id: other.id, line_items: [{ description: "other", amount: 100 }] });
		await api(`/v1/billing/invoices/${ids[0]}/void`, { key, method: "POST", body: { reason: "mistake" } });
		await pay(key, { customer_id: customer.id, invoice_id: ids[1], amount: 200 });
		const draft = await api("/v1/billing/invoices", {
			key,
			body: { customer_id: customer.id, items: [{ description: "draft", unit_price: 700 }] },
		});

		const all = await api(`/v1/billing/invoice?customer_id=${customer.id}`, { key });
		expect(all.status).toBe(200);
		expect(all.body).toMatchObject({ limit: 20, offset: 0, has_more: false });
		expect(all.body.data.map((i: { id: string }) => i.id)).toEqual([draft.body.id, ...[...ids].reverse()]);

		const statusOf = async (status: string) =>
			(await api(`/v1/billing/invoice?customer_id=${customer.id}&status=${status}`, { key })).body.data.map(
				(i: { id: string; status: string }) => [i.id, i.status],
			);
		expect(await statusOf("void")).toEqual([[ids[0], "void"]]);
		expect(await statusOf("paid")).toEqual([[ids[1], "paid"]]);
		expect(await statusOf("draft")).toEqual([[draft.body.id, "draft"]]);
		expect(await statusOf("open")).toEqual([ids[4], ids[3], ids[2]].map((id) => [id, "open"]));

		const page = await api(`/v1/billing/invoice?customer_id=${customer.id}&limit=2&offset=3`, { key });
		expect(page.body).toMatchObject({ limit: 2, offset: 3, has_more: true });
		expect(page.body.data.map((i: { id: string }) => i.id)).toEqual([ids[2], ids[1]]);
		const last = await api(`/v1/billing/invoice?customer_id=${customer.id}&limit=2&offset=5`, { key });
		expect(last.body).toMatchObject({ has_more: false });
		expect(last.body.data.map((i: { id: string }) => i.id)).toEqual([ids[0]]);
	});

	it("answers 400 for invalid parameters and shows a tenant only its own invoices", async () => {
		const { key } = await newTenant();
		const other = await newTenant();
		const customer = await newCustomer(other.key);
		await createV13(other.key, { customer_id: customer.id, line_items: [{ description: "x", amount: 100 }] });
		for (const [query, field] of [
			["limit=101", "limit"],
			["limit=0", "limit"],
			["offset=-1", "offset"],
			["status=issued", "status"],
			["page=2", ""],
		]) {
			const problem = expectProblem(await api(`/v1/billing/invoice?${query}`, { key }), 400, "invalid_request");
			if (field) expect(problem.errors.map((e: { field: string }) => e.field)).toContain(field);
		}
		const mine = await api(`/v1/billing/invoice?customer_id=${customer.id}`, { key });
		expect(mine.body.data).toEqual([]);
	});
});

describe("seed 002: example ids", () => {
	it("subscribes with a plan's code and a payment method's gateway token", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const plan = await newPlan(key, { code: "pro_monthly" });
		const card = await api(`/v1/billing/customers/${customer.id}/payment-methods`, {
			key,
			body: { gateway_token: "pm_1234567890", exp_month: 12, exp_year: 2099 },
		});
		for (const plan_id of ["pro_monthly", "plan_pro_monthly"]) {
			const res = await api("/v1/billing/subscribe", {
				key,
				body: { customer_id: customer.id, plan_id, payment_method_id: "pm_1234567890", trial_days: 14 },
			});
			expect(res.status).toBe(201);
			expect(res.body).toMatchObject({ plan_id: plan.id, status: "trialing" });
		}
		const subs = await api(`/v1/billing/subscriptions?customer_id=${customer.id}`, { key });
		expect(subs.body.data.map((s: { payment_method_id: string }) => s.payment_method_id)).toEqual([
			card.body.id,
			card.body.id,
		]);
		// Another customer's gateway token is not this customer's payment method.
		const stranger = await newCustomer(key, { name: "Stranger" });
		expectProblem(
			await api("/v1/billing/subscribe", {
				key,
				body: { customer_id: stranger.id, plan_id: "pro_monthly", payment_method_id: "pm_1234567890" },
			}),
			402,
			"payment_method_invalid",
		);
		// Another tenant's plan code names no plan here.
		const other = await newTenant();
		const otherCustomer = await newCustomer(other.key);
		expectProblem(
			await api("/v1/billing/subscribe", {
				key: other.key,
				body: { customer_id: otherCustomer.id, plan_id: "pro_monthly", payment_method_id: "pm_x" },
			}),
			404,
			"not_found",
		);
	});
});
