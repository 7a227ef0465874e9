import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { nextRunAt } from "../../src/services/subscriptions/recurringRun";
import { api, expectProblem, fieldsOf, newCustomer, newTenant, waitForJob } from "../helpers/api";
import { newInvoice } from "../helpers/invoices";
import { pay } from "../helpers/payments";
import { newPlan, periodStarts, runRecurring, subscribe, travelTo } from "../helpers/subscriptions";

const today = () => new Date().toISOString().slice(0, 10);

describe("plans", () => {
	it("creates, updates and archives a plan that has subscribers", async () => {
		const { key } = await newTenant();
		const plan = await newPlan(key, { code: "pro" });
		expectProblem(
			await api("/v1/billing/plans", {
				key,
				body: { code: "pro", name: "x", interval: "month", amount: 1, currency: "EUR" },
			}),
			409,
			"conflict",
		);
		const bad = await api("/v1/billing/plans", {
			key,
			body: { code: "x", name: "x", interval: "fortnight", amount: -1, currency: "eur" },
		});
		const fields = expectProblem(bad, 422, "validation_failed").errors.map((e: { field: string }) => e.field);
		expect([...new Set(fields)].sort()).toEqual(["amount", "currency", "interval"]);
		const updated = await api(`/v1/billing/plans/${plan.id}`, {
			key,
			method: "PATCH",
			body: { amount: 3900, version: 1 },
		});
		expect(updated.body).toMatchObject({ amount: 3900, version: 2 });
		const unused = await newPlan(key);
		expect((await api(`/v1/billing/plans/${unused.id}`, { key, method: "DELETE" })).status).toBe(204);
		await subscribe(key, { customer_id: (await newCustomer(key)).id, plan_id: plan.id });
		const archived = await api(`/v1/billing/plans/${plan.id}`, { key, method: "DELETE" });
		expect(archived.body.status).toBe("archived");
		const refused = await api("/v1/billing/subscriptions", {
			key,
			body: { customer_id: (await newCustomer(key)).id, plan_id: plan.id },
		});
		expectProblem(refused, 409, "invalid_state");
	});
});

describe("subscriptions", () => {
	it("bills an active subscription's first period at once; a trial previews the invoice it ends with", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const plan = await newPlan(key, { trial_period_days: 14 });
		const active = await subscribe(key, { customer_id: customer.id, plan_id: plan.id, quantity: 3 });
		expect(active).toMatchObject({ status: "active", current_period_start: today(), quantity: 3 });
		expect(active.first_invoice).toMatchObject({ status: "issued", total: 8700, currency: "EUR" });
		expect(active.first_invoice.number).toMatch(/^INV-/);
		expect(active.next_billing_date).toBe(active.current_period_end);

		const trial = await subscribe(key, { customer_id: customer.id, plan_id: plan.id, trial: true });
		expect(trial).toMatchObject({ status: "trialing", first_invoice: { id: null, total: 2900 } });
		expect(trial.next_billing_date).toBe(trial.trial_end);
		const custom = await subscribe(key, { customer_id: customer.id, plan_id: plan.id, trial_days: 3 });
		expect(custom.trial_end).toBe(
			new Date(Date.parse(`${today()}T00:00:00Z`) + 3 * 86_400_000).toISOString().slice(0, 10),
		);
		const list = await api(`/v1/billing/subscriptions?customer_id=${customer.id}&status=trialing`, { key });
		expect(list.body.data).toHaveLength(2);
		const other = await newTenant();
		expectProblem(await api(`/v1/billing/subscriptions/${active.id}`, { key: other.key }), 404, "not_found");
	});

	it.each([
		[
			"2027-01-01",
			[
				"2027-01-01",
				"2027-02-01",
				"2027-03-01",
				"2027-04-01",
				"2027-05-01",
				"2027-06-01",
				"2027-07-01",
				"2027-08-01",
				"2027-09-01",
				"2027-10-01",
				"2027-11-01",
				"2027-12-01",
				"2028-01-01",
			],
		],
		[
			"2027-01-15",
			[
				"2027-01-15",
				"2027-02-15",
				"2027-03-15",
				"2027-04-15",
				"2027-05-15",
				"2027-06-15",
				"2027-07-15",
				"2027-08-15",
				"2027-09-15",
				"2027-10-15",
				"2027-11-15",
				"2027-12-15",
				"2028-01-15",
			],
		],
		[
			"2027-01-29",
			[
				"2027-01-29",
				"2027-02-28",
				"2027-03-29",
				"2027-04-29",
				"2027-05-29",
				"2027-06-29",
				"2027-07-29",
				"2027-08-29",
				"2027-09-29",
				"2027-10-29",
				"2027-11-29",
				"2027-12-29",
				"2028-01-29",
			],
		],
		[
			"2027-01-30",
			[
				"2027-01-30",
				"2027-02-28",
				"2027-03-30",
				"2027-04-30",
				"2027-05-30",
				"2027-06-30",
				"2027-07-30",
				"2027-08-30",
				"2027-09-30",
				"2027-10-30",
				"2027-11-30",
				"2027-12-30",
				"2028-01-30",
			],
		],
		[
			"2027-01-31",
			[
				"2027-01-31",
				"2027-02-28",
				"2027-03-31",
				"2027-04-30",
				"2027-05-31",
				"2027-06-30",
				"2027-07-31",
				"2027-08-31",
				"2027-09-30",
				"2027-10-31",
				"2027-11-30",
				"2027-12-31",
				"2028-01-31",
			],
		],
	])("bills a year of monthly renewals anchored on %s", async (anchor, expected) => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const plan = await newPlan(key);
		const sub = await subscribe(key, { customer_id: customer.id, plan_id: plan.id, start_date: anchor });
		expect(sub.first_invoice.id).toBeNull();
		const run = await runRecurring(key, { date: "2028-01-31" });
		expect(run).toMatchObject({ status: "succeeded", progress: { total: 1, processed: 1, succeeded: 13 } });
		expect(await periodStarts(key, sub.id)).toEqual(expected);
		const fresh = await api(`/v1/billing/subscriptions/${sub.id}`, { key });
		expect(fresh.body.current_period_start).toBe(expected.at(-1));
	});

	it("renews on a plan's billing day and charges the days before it pro rata", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const plan = await newPlan(key, { amount: 2800, billing_day: 31 });
		expect(plan.billing_day).toBe(31);
		const sub = await subscribe(key, { customer_id: customer.id, plan_id: plan.id, start_date: "2027-02-10" });
		// The first 31st is in March; the stub runs to the end of the period before it, Feb 28: 18 of 28 days.
		expect(sub).toMatchObject({ billing_cycle_anchor: "2027-03-31", next_billing_date: "2027-02-10" });
		expect(sub.first_invoice).toMatchObject({ id: null, total: 1800 });
		await runRecurring(key, { date: "2027-05-31" });
		expect(await periodStarts(key, sub.id)).toEqual([
			"2027-02-10",
			"2027-02-28",
			"2027-03-31",
			"2027-04-30",
			"2027-05-31",
		]);
		const invoices = await api(`/v1/billing/invoices?customer_id=${customer.id}&limit=100`, { key });
		const totals = (invoices.body.data as { issue_date: string; total: number }[])
			.map((i) => [i.issue_date, i.total])
			.sort();
		expect(totals).toEqual([
			["2027-02-10", 1800],
			["2027-02-28", 2800],
			["2027-03-31", 2800],
			["2027-04-30", 2800],
			["2027-05-31", 2800],
		]);
	});

	it("charges the days before a subscription's own future anchor pro rata", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const plan = await newPlan(key, { amount: 3000 });
		const sub = await subscribe(key, {
			customer_id: customer.id,
			plan_id: plan.id,
			start_date: "2027-06-10",
			billing_cycle_anchor: "2027-07-01",
			quantity: 2,
		});
		// June 10 to July 1 is 21 of June's 30 days: 2100 a unit.
		expect(sub.first_invoice).toMatchObject({ id: null, total: 4200 });
		await runRecurring(key, { date: "2027-07-01" });
		expect(await periodStarts(key, sub.id)).toEqual(["2027-06-10", "2027-07-01"]);
		const fresh = await api(`/v1/billing/subscriptions/${sub.id}`, { key });
		expect(fresh.body).toMatchObject({ current_period_start: "2027-07-01", next_billing_date: "2027-08-01" });
	});

	it("refuses a billing day on a daily or weekly plan, naming the field", async () => {
		const { key } = await newTenant();
		const res = await api("/v1/billing/plans", {
			key,
			body: { code: "weekly", name: "Weekly", interval: "week", amount: 700, currency: "EUR", billing_day: 3 },
		});
		expectProblem(res, 422, "validation_failed");
		expect(res.body.errors).toEqual([
			{ location: "body", field: "billing_day", message: "applies to monthly and yearly plans only" },
		]);
	});

	it("bills each period exactly once when runs repeat or overlap, and a resumed run completes the rest", async () => {
		const { key } = await newTenant();
		const plan = await newPlan(key);
		const customers = await Promise.all(Array.from({ length: 4 }, () => newCustomer(key)));
		const subs = await Promise.all(
			customers.map((c) => subscribe(key, { customer_id: c.id, plan_id: plan.id, start_date: "2027-03-10" })),
		);
		// As if a run had crashed after billing one account: that account's object already billed it.
		travelTo("2027-03-10");
		const partial = await api(`/v1/billing/subscriptions/${subs[0].id}/invoice-now`, { key, method: "POST" });
		expect(partial.body.next_billing_date).toBe("2027-04-10");
		const [first, second] = await Promise.all([
			runRecurring(key, { date: "2027-05-10" }),
			runRecurring(key, { date: "2027-05-10" }),
		]);
		expect(first.status).toBe("succeeded");
		expect(second.status).toBe("succeeded");
		const again = await runRecurring(key, { date: "2027-05-10" });
		expect(again.progress.succeeded).toBe(0);
		for (const sub of subs) expect(await periodStarts(key, sub.id)).toEqual(["2027-03-10", "2027-04-10", "2027-05-10"]);
		const invoices = await api("/v1/billing/invoices?limit=100", { key });
		expect(invoices.body.data).toHaveLength(12);
		const cycles = await api("/v1/billing/recurring/cycles", { key });
		expect(cycles.body.upcoming).toEqual([]);
	});

	it("commits an account's periods together, and alone when one of them was billed already", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const plan = await newPlan(key);
		const [one, two] = [
			await subscribe(key, { customer_id: customer.id, plan_id: plan.id, start_date: "2027-03-10" }),
			await subscribe(key, { customer_id: customer.id, plan_id: plan.id, start_date: "2027-03-10" }),
		];
		// A period billed by some earlier run (to a draft here), whose subscription was never moved past it.
		const elsewhere = await newInvoice(key, customer.id);
		await env.DB.batch([
			env.DB.prepare(
				"INSERT INTO subscription_invoices (subscription_id, period_start, period_end, tenant_id, invoice_id, created_at) SELECT id, '2027-04-10', '2027-05-10', tenant_id, ?, created_at FROM subscriptions WHERE id = ?",
			).bind(elsewhere.id, one.id),
			env.DB.prepare("UPDATE invoices SET subscription_id = ?, version = version + 1 WHERE id = ?").bind(
				one.id,
				elsewhere.id,
			),
		]);
		const job = await runRecurring(key, { date: "2027-05-10" });
		expect(job.progress).toMatchObject({ succeeded: 5, failed: 0 });
		for (const sub of [one, two]) {
			expect(await periodStarts(key, sub.id)).toEqual(["2027-03-10", "2027-04-10", "2027-05-10"]);
			expect((await api(`/v1/billing/subscriptions/${sub.id}`, { key })).body.next_billing_date).toBe("2027-06-10");
		}
		// The batch that failed took no invoice number: the five issued invoices number without a gap.
		const invoices = await api(`/v1/billing/invoices?customer_id=${customer.id}&status=issued&limit=100`, { key });
		const numbers = (invoices.body.data as { number: string }[]).map((i) => i.number).sort();
		expect(numbers).toHaveLength(5);
		expect(new Set(numbers.map((n) => n.replace(/\d+$/, ""))).size).toBe(1);
		expect(numbers.map((n) => Number(n.match(/\d+$/)?.[0]))).toEqual([1, 2, 3, 4, 5]);
	});

	it("cancels at period end or at once with a prorated credit, and pauses and resumes", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const plan = await newPlan(key, { amount: 3000, interval: "day", interval_count: 30 });
		const atEnd = await subscribe(key, { customer_id: customer.id, plan_id: plan.id, start_date: "2027-01-01" });
		const paused = await subscribe(key, { customer_id: customer.id, plan_id: plan.id, start_date: "2027-01-01" });
		await api(`/v1/billing/subscriptions/${paused.id}/pause`, { key, method: "POST" });
		await runRecurring(key, { date: "2027-01-01" });
		const scheduled = await api(`/v1/billing/subscriptions/${atEnd.id}/cancel`, { key, method: "POST" });
		expect(scheduled.body).toMatchObject({ status: "active", cancel_at_period_end: true });
		await runRecurring(key, { date: "2027-03-15" });
		expect(await periodStarts(key, atEnd.id)).toEqual(["2027-01-01"]);
		expect((await api(`/v1/billing/subscriptions/${atEnd.id}`, { key })).body).toMatchObject({
			status: "canceled",
			ended_at: "2027-01-31",
		});
		expectProblem(
			await api(`/v1/billing/subscriptions/${atEnd.id}/cancel`, { key, method: "POST" }),
			409,
			"invalid_state",
		);

		const now = await subscribe(key, { customer_id: customer.id, plan_id: plan.id });
		const canceled = await api(`/v1/billing/subscriptions/${now.id}/cancel`, {
			key,
			body: { at_period_end: false, prorate: true },
		});
		expect(canceled.body).toMatchObject({ status: "canceled", next_billing_date: null });
		const notes = await api(`/v1/billing/credit-notes?invoice_id=${now.first_invoice.id}`, { key });
		expect(notes.body.data[0].amount).toBe(3000); // cancelled on its first day: the whole period is unused

		expect(await periodStarts(key, paused.id)).toEqual([]);
		const resumed = await api(`/v1/billing/subscriptions/${paused.id}/resume`, { key, method: "POST" });
		expect(resumed.body).toMatchObject({ status: "active" });
		expectProblem(
			await api(`/v1/billing/subscriptions/${paused.id}/resume`, { key, method: "POST" }),
			409,
			"invalid_state",
		);
	});

	it("turns past due, then unpaid, and active again once paid", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key, { payment_terms: "net_10" });
		const plan = await newPlan(key, { interval: "year" });
		const sub = await subscribe(key, { customer_id: customer.id, plan_id: plan.id, start_date: "2027-01-01" });
		await runRecurring(key, { date: "2027-01-01" });
		await runRecurring(key, { date: "2027-01-12" });
		expect((await api(`/v1/billing/subscriptions/${sub.id}`, { key })).body.status).toBe("past_due");
		await runRecurring(key, { date: "2027-01-30" });
		expect((await api(`/v1/billing/subscriptions/${sub.id}`, { key })).body.status).toBe("unpaid");
		await pay(key, { customer_id: customer.id, amount: 2900 });
		await runRecurring(key, { date: "2027-02-01" });
		expect((await api(`/v1/billing/subscriptions/${sub.id}`, { key })).body.status).toBe("active");
	});

	it("judges delinquency in the same run on what that run billed", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key, { payment_terms: "net_10" });
		const plan = await newPlan(key);
		const behind = await subscribe(key, { customer_id: customer.id, plan_id: plan.id, start_date: "2027-01-01" });
		const recent = await subscribe(key, { customer_id: customer.id, plan_id: plan.id, start_date: "2027-03-10" });
		const ahead = await subscribe(key, { customer_id: customer.id, plan_id: plan.id, start_date: "2027-04-01" });
		// Backfilled: January's invoice was due on 2027-01-11, over 14 days before the run; March's is not due yet.
		const run = await runRecurring(key, { date: "2027-03-15" });
		expect(run).toMatchObject({ status: "succeeded", progress: { processed: 1, succeeded: 4, failed: 0 } });
		const statusOf = async (id: string) => (await api(`/v1/billing/subscriptions/${id}`, { key })).body.status;
		expect(await statusOf(behind.id)).toBe("unpaid");
		expect(await statusOf(recent.id)).toBe("active");
		expect(await statusOf(ahead.id)).toBe("active");
		await pay(key, { customer_id: customer.id, amount: 2 * 2900 });
		await runRecurring(key, { date: "2027-03-16" });
		expect(await statusOf(behind.id)).toBe("past_due");

		// An account whose run also ends a subscription reads its subscriptions back: the same judgement.
		travelTo("2027-01-01");
		const other = await newCustomer(key, { payment_terms: "net_10" });
		const late = await subscribe(key, { customer_id: other.id, plan_id: plan.id, start_date: "2027-01-01" });
		const ending = await subscribe(key, { customer_id: other.id, plan_id: plan.id, start_date: "2027-01-01" });
		await api(`/v1/billing/subscriptions/${ending.id}/cancel`, { key, body: { at_period_end: true } });
		await runRecurring(key, { date: "2027-03-15" });
		expect(await statusOf(late.id)).toBe("unpaid");
		expect(await statusOf(ending.id)).toBe("canceled");
	});

	it("runs no further than today, and judges a backfill's delinquency as of today", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key, { payment_terms: "net_10" });
		const plan = await newPlan(key);
		const sub = await subscribe(key, { customer_id: customer.id, plan_id: plan.id, start_date: "2027-01-01" });
		travelTo("2027-01-20");
		const future = await api("/v1/billing/recurring/run", { key, body: { date: "2027-01-21" } });
		expect(fieldsOf(expectProblem(future, 422, "validation_failed"))).toEqual(["body:date"]);
		const range = await api("/v1/billing/recurring/run", { key, body: { from: "2027-01-01", to: "2027-02-01" } });
		expect(fieldsOf(expectProblem(range, 422, "validation_failed"))).toEqual(["body:to"]);
		expect(await periodStarts(key, sub.id)).toEqual([]);

		// Billing January on the 20th: its invoice, due on the 11th, is past due today, not on the run's date.
		const backfill = await api("/v1/billing/recurring/run", { key, body: { date: "2027-01-01" } });
		expect(backfill.status).toBe(202);
		expect(await waitForJob(key, backfill.body.id)).toMatchObject({ status: "succeeded" });
		expect(await periodStarts(key, sub.id)).toEqual(["2027-01-01"]);
		expect((await api(`/v1/billing/subscriptions/${sub.id}`, { key })).body.status).toBe("past_due");
	});

	it("accepts only the customer's own, unexpired payment methods (402 otherwise)", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const stranger = await newCustomer(key);
		const plan = await newPlan(key);
		const card = await api(`/v1/billing/customers/${customer.id}/payment-methods`, {
			key,
			body: { gateway_token: "pm_abc", brand: "visa", last4: "4242", exp_month: 12, exp_year: 2099 },
		});
		expect(card.body).toMatchObject({ default: true, expired: false });
		const expired = await api(`/v1/billing/customers/${customer.id}/payment-methods`, {
			key,
			body: { gateway_token: "pm_old", exp_month: 1, exp_year: 2020 },
		});
		const theirs = await api(`/v1/billing/customers/${stranger.id}/payment-methods`, {
			key,
			body: { gateway_token: "pm_x" },
		});
		const pan = await api(`/v1/billing/customers/${customer.id}/payment-methods`, {
			key,
			body: { gateway_token: "4242 4242 4242 4242" },
		});
		expect(expectProblem(pan, 422, "validation_failed").errors[0].field).toBe("gateway_token");
		for (const pm of [expired.body.id, theirs.body.id, "pm_01JD3Q8W5Z9K2M4N6P8R0T2V4X"]) {
			const res = await api("/v1/billing/subscriptions", {
				key,
				body: { customer_id: customer.id, plan_id: plan.id, payment_method_id: pm },
			});
			expect(expectProblem(res, 402, "payment_method_invalid").errors[0].field).toBe("payment_method_id");
		}
		const ok = await subscribe(key, { customer_id: customer.id, plan_id: plan.id, payment_method_id: card.body.id });
		expect(ok.payment_method_id).toBe(card.body.id);
		expect(
			(await api(`/v1/billing/customers/${customer.id}/payment-methods/${expired.body.id}`, { key, method: "DELETE" }))
				.status,
		).toBe(204);
		expect((await api(`/v1/billing/customers/${customer.id}/payment-methods`, { key })).body.data).toHaveLength(1);
	});
});

describe("seed 002: POST /v1/billing/subscribe", () => {
	it("answers with its own shape and statuses: 201, 400, 402 and 404", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const plan = await newPlan(key);
		const card = await api(`/v1/billing/customers/${customer.id}/payment-methods`, {
			key,
			body: { gateway_token: "pm_ok", exp_month: 12, exp_year: 2099 },
		});
		const ok = await api("/v1/billing/subscribe", {
			key,
			body: { customer_id: customer.id, plan_id: plan.id, payment_method_id: card.body.id, trial_days: 14 },
		});
		expect(ok.status).toBe(201);
		expect(Object.keys(ok.body).sort()).toEqual(
			[
				"created_at",
				"current_period_end",
				"current_period_start",
				"customer_id",
				"id",
				"plan_id",
				"status",
				"trial_end",
			].sort(),
		);
		expect(ok.body).toMatchObject({ status: "trialing", plan_id: plan.id });
		expect(ok.body.trial_end).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00Z$/);

		const base = { customer_id: customer.id, plan_id: plan.id, payment_method_id: card.body.id };
		expectProblem(
			await api("/v1/billing/subscribe", { key, body: { ...base, trial_days: 366 } }),
			400,
			"invalid_request",
		);
		expectProblem(
			await api("/v1/billing/subscribe", { key, body: { customer_id: customer.id, plan_id: plan.id } }),
			400,
			"invalid_request",
		);
		expectProblem(
			await api("/v1/billing/subscribe", {
				key,
				body: { ...base, payment_method_id: "pm_01JD3Q8W5Z9K2M4N6P8R0T2V4X" },
			}),
			402,
			"payment_method_invalid",
		);
		expectProblem(
			await api("/v1/billing/subscribe", { key, body: { ...base, plan_id: "plan_01JD3Q8W5Z9K2M4N6P8R0T2V4X" } }),
			404,
			"not_found",
		);
		expectProblem(
			await api("/v1/billing/subscribe", { key, body: { ...base, customer_id: "cus_01JD3Q8W5Z9K2M4N6P8R0T2V4X" } }),
			404,
			"not_found",
		);
	});
});

describe("plan and quantity changes", () => {
	// A 30-day plan started today: changing today leaves the whole period unused on the old terms.
	async function setup(behavior: string) {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const basic = await newPlan(key, { amount: 3000, interval: "day", interval_count: 30 });
		const pro = await newPlan(key, { amount: 6000, interval: "day", interval_count: 30 });
		const sub = await subscribe(key, { customer_id: customer.id, plan_id: basic.id });
		const changed = await api(`/v1/billing/subscriptions/${sub.id}`, {
			key,
			method: "PATCH",
			body: { plan_id: pro.id, proration_behavior: behavior },
		});
		return { key, customer, basic, pro, sub, changed };
	}

	it("always_invoice credits the unused old plan and invoices the new one at once", async () => {
		const { key, sub, pro, changed } = await setup("always_invoice");
		expect(changed.status).toBe(200);
		expect(changed.body).toMatchObject({ plan_id: pro.id, proration: { credit: -3000, charge: 6000, net: 3000 } });
		const notes = await api(`/v1/billing/credit-notes?invoice_id=${sub.first_invoice.id}`, { key });
		expect(notes.body.data[0].amount).toBe(3000);
		const invoices = await api(`/v1/billing/invoices?customer_id=${sub.customer_id}`, { key });
		expect(invoices.body.data.map((i: { total: number }) => i.total).sort()).toEqual([3000, 6000]);
	});

	it("create_prorations charges the new plan's remainder with the next invoice", async () => {
		const { key, sub, changed } = await setup("create_prorations");
		expect(changed.body.proration).toMatchObject({ credit: -3000, charge: 6000 });
		await runRecurring(key, { date: changed.body.next_billing_date });
		const renewal = (await api(`/v1/billing/subscriptions/${sub.id}/invoices`, { key })).body.data[0];
		expect(renewal.lines.map((l: { amount: number }) => l.amount)).toEqual([6000, 6000]);
		expect(renewal.lines[1].description).toMatch(/proration/);
	});

	it("previews the next invoice as its billing date issues it, prorations included", async () => {
		const { key, sub, changed } = await setup("create_prorations");
		const upcoming = await api(`/v1/billing/subscriptions/${sub.id}/upcoming`, { key });
		expect(upcoming.status).toBe(200);
		expect(upcoming.body).toMatchObject({ id: null, status: "draft", issue_date: changed.body.next_billing_date });
		const linesOf = (invoice: { lines: { description: string; amount: number }[] }) =>
			invoice.lines.map((l) => [l.description, l.amount]);
		expect(linesOf(upcoming.body).map(([, amount]) => amount)).toEqual([6000, 6000]);
		await runRecurring(key, { date: changed.body.next_billing_date });
		const renewal = (await api(`/v1/billing/subscriptions/${sub.id}/invoices`, { key })).body.data[0];
		expect(linesOf(renewal)).toEqual(linesOf(upcoming.body));
		expect(renewal.total).toBe(upcoming.body.total);

		const other = await newTenant();
		expectProblem(await api(`/v1/billing/subscriptions/${sub.id}/upcoming`, { key: other.key }), 404, "not_found");
		await api(`/v1/billing/subscriptions/${sub.id}/cancel`, { key, body: { at_period_end: true } });
		expectProblem(await api(`/v1/billing/subscriptions/${sub.id}/upcoming`, { key }), 409, "invalid_state");
	});

	it("invoice-now on an invoiced period bills the pending proration today and leaves the period", async () => {
		const { key, sub, changed } = await setup("create_prorations");
		const now = await api(`/v1/billing/subscriptions/${sub.id}/invoice-now`, { key, method: "POST" });
		expect(now.status).toBe(200);
		expect(now.body).toMatchObject({
			current_period_start: sub.current_period_start,
			next_billing_date: changed.body.next_billing_date,
		});
		const [proration, first] = (await api(`/v1/billing/subscriptions/${sub.id}/invoices`, { key })).body.data;
		expect(proration).toMatchObject({ status: "issued", total: 6000, subscription_id: sub.id, period: null });
		expect(proration.issue_date).toBe(sub.current_period_start);
		expect(proration.lines[0].description).toMatch(/proration/);
		expect(first).toMatchObject({ id: sub.first_invoice.id, period: { start: sub.current_period_start } });

		// Nothing is left to invoice now: 409 naming the next invoice's date, and nothing written.
		const again = await api(`/v1/billing/subscriptions/${sub.id}/invoice-now`, { key, method: "POST" });
		expectProblem(again, 409, "invalid_state");
		expect(again.body.next_billing_date).toBe(changed.body.next_billing_date);
		expect((await api(`/v1/billing/subscriptions/${sub.id}/invoices`, { key })).body.data).toHaveLength(2);

		// The renewal does not bill the proration again.
		await runRecurring(key, { date: changed.body.next_billing_date });
		const renewal = (await api(`/v1/billing/subscriptions/${sub.id}/invoices`, { key })).body.data[0];
		expect(renewal.lines.map((l: { amount: number }) => l.amount)).toEqual([6000]);
	});

	it("lists a plan change's proration invoice, and its credit note on the period it credits", async () => {
		const { key, sub } = await setup("always_invoice");
		const listed = (await api(`/v1/billing/subscriptions/${sub.id}/invoices`, { key })).body.data;
		expect(listed.map((i: { total: number; period: unknown }) => [i.total, i.period === null])).toEqual([
			[6000, true],
			[3000, false],
		]);
		const note = (await api(`/v1/billing/credit-notes?invoice_id=${sub.first_invoice.id}`, { key })).body.data[0];
		expect(listed[1].credit_notes).toEqual([{ credit_note_id: note.id, amount: 3000 }]);
		expect(listed.every((i: { subscription_id: string }) => i.subscription_id === sub.id)).toBe(true);
	});

	it("a run that bills several periods at once puts the pending proration on the first of them only", async () => {
		const { key, sub, changed } = await setup("create_prorations");
		const secondRenewal = new Date(Date.parse(changed.body.next_billing_date) + 30 * 86_400_000).toISOString();
		await runRecurring(key, { date: secondRenewal.slice(0, 10) });
		const renewals = (await api(`/v1/billing/subscriptions/${sub.id}/invoices`, { key })).body.data;
		const totals = renewals.map((i: { lines: { amount: number }[] }) => i.lines.map((l) => l.amount));
		// Newest first: the second renewal, the first one (with the proration), the first invoice of the old plan.
		expect(totals).toEqual([[6000], [6000, 6000], [3000]]);
	});

	it("none changes only future periods; a downgrade's credit is never more than the period", async () => {
		const { key, sub, changed } = await setup("none");
		expect(changed.body.proration).toBeNull();
		expect((await api(`/v1/billing/credit-notes?invoice_id=${sub.first_invoice.id}`, { key })).body.data).toHaveLength(
			0,
		);
		const other = await newPlan(key, { amount: 1, interval: "month", currency: "EUR" });
		const mismatch = await api(`/v1/billing/subscriptions/${sub.id}`, {
			key,
			method: "PATCH",
			body: { plan_id: other.id },
		});
		expect(expectProblem(mismatch, 422, "validation_failed").errors[0].field).toBe("plan_id");
		const fewer = await api(`/v1/billing/subscriptions/${sub.id}`, { key, method: "PATCH", body: { quantity: 1 } });
		expect(fewer.status).toBe(200);
	});
});

describe("coupons", () => {
	it("discounts the invoices a coupon covers, then stops; limits and expiry are enforced", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const plan = await newPlan(key, { amount: 10000 });
		const twice = await api("/v1/billing/coupons", {
			key,
			body: {
				code: "TWICE20",
				name: "20 % off twice",
				percent_off: 20,
				duration: "repeating",
				duration_in_periods: 2,
				max_redemptions: 1,
			},
		});
		expect(twice.status).toBe(201);
		expectProblem(
			await api("/v1/billing/coupons", { key, body: { code: "BAD", name: "x", duration: "once" } }),
			422,
			"validation_failed",
		);
		const sub = await subscribe(key, {
			customer_id: customer.id,
			plan_id: plan.id,
			promo_code: "TWICE20",
			start_date: "2027-01-01",
		});
		await runRecurring(key, { date: "2027-04-01" });
		const totals = (
			(await api(`/v1/billing/subscriptions/${sub.id}/invoices`, { key })).body.data as {
				total: number;
				period: { start: string };
			}[]
		)
			.sort((a, b) => a.period.start.localeCompare(b.period.start))
			.map((i) => i.total);
		expect(totals).toEqual([8000, 8000, 10000, 10000]);
		const used = await api("/v1/billing/subscriptions", {
			key,
			body: { customer_id: customer.id, plan_id: plan.id, promo_code: "TWICE20" },
		});
		expect(expectProblem(used, 422, "validation_failed").errors[0].field).toBe("promo_code");
		await api("/v1/billing/coupons", {
			key,
			body: {
				code: "OLD",
				name: "expired",
				amount_off: 500,
				currency: "EUR",
				duration: "once",
				expires_at: "2020-01-01T00:00:00Z",
			},
		});
		const expired = await api("/v1/billing/subscriptions", {
			key,
			body: { customer_id: customer.id, plan_id: plan.id, promo_code: "OLD" },
		});
		expect(expectProblem(expired, 422, "validation_failed").errors[0].message).toBe("has expired");
		await api("/v1/billing/coupons", {
			key,
			body: { code: "FIVE", name: "5 off once", amount_off: 500, currency: "EUR", duration: "once" },
		});
		const once = await subscribe(key, { customer_id: customer.id, plan_id: plan.id, promo_code: "FIVE" });
		expect(once.first_invoice.total).toBe(9500);
		const list = await api("/v1/billing/coupons", { key });
		expect(list.body.data.find((c: { code: string }) => c.code === "TWICE20").times_redeemed).toBe(1);
	});
});

describe("test clocks", () => {
	it("runs a year of renewals in seconds by advancing a clock, and runs leave its customers alone", async () => {
		const { key } = await newTenant();
		const clock = await api("/v1/billing/test-clocks", {
			key,
			body: { name: "Year one", frozen_time: "2030-01-31T09:00:00Z" },
		});
		expect(clock.status).toBe(201);
		const customer = await newCustomer(key, { test_clock_id: clock.body.id });
		expect(customer.test_clock_id).toBe(clock.body.id);
		expectProblem(
			await api("/v1/billing/customers", {
				key,
				body: { name: "x", test_clock_id: "clock_01JD3Q8W5Z9K2M4N6P8R0T2V4X" },
			}),
			422,
			"validation_failed",
		);
		const plan = await newPlan(key);
		const sub = await subscribe(key, { customer_id: customer.id, plan_id: plan.id });
		expect(sub).toMatchObject({ start_date: "2030-01-31", current_period_start: "2030-01-31" });
		expect(sub.first_invoice.issue_date).toBe("2030-01-31");
		// A regular run far in the future does not bill a customer that lives on a clock.
		await runRecurring(key, { date: "2031-12-31" });
		expect(await periodStarts(key, sub.id)).toEqual(["2030-01-31"]);
		const advanced = await api(`/v1/billing/test-clocks/${clock.body.id}/advance`, {
			key,
			body: { frozen_time: "2031-01-31T09:00:00Z" },
		});
		expect(advanced.body.advanced).toMatchObject({ customers: 1, invoices_created: 12 });
		const starts = await periodStarts(key, sub.id);
		expect(starts).toHaveLength(13);
		expect(starts.slice(0, 3)).toEqual(["2030-01-31", "2030-02-28", "2030-03-31"]);
		expectProblem(
			await api(`/v1/billing/test-clocks/${clock.body.id}/advance`, {
				key,
				body: { frozen_time: "2030-06-01T00:00:00Z" },
			}),
			422,
			"validation_failed",
		);
	});
});

describe("tenant time zone", () => {
	const dateIn = (timeZone: string, at = new Date()) =>
		new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
	const setZone = (key: string, time_zone: string) =>
		api("/v1/billing/settings", { key, method: "PATCH", body: { time_zone } });

	it("is UTC until set; an unknown zone is refused, naming the field", async () => {
		const { key } = await newTenant();
		expect((await api("/v1/billing/settings", { key })).body.time_zone).toBe("UTC");
		const bad = await setZone(key, "Mars/Olympus_Mons");
		expect(expectProblem(bad, 422, "validation_failed").errors[0].field).toBe("time_zone");
		expect((await setZone(key, "Pacific/Kiritimati")).body.time_zone).toBe("Pacific/Kiritimati");
	});

	it("starts a subscription on today's date in the tenant's zone", async () => {
		for (const zone of ["Pacific/Kiritimati", "Pacific/Pago_Pago"]) {
			const { key } = await newTenant();
			await setZone(key, zone);
			const customer = await newCustomer(key);
			const plan = await newPlan(key);
			const sub = await subscribe(key, { customer_id: customer.id, plan_id: plan.id });
			expect(sub.start_date).toBe(dateIn(zone));
			expect(sub.first_invoice.issue_date).toBe(dateIn(zone));
		}
	});

	it("names the next hourly run", () => {
		expect(nextRunAt(new Date("2031-03-10T03:14:59Z"))).toBe("2031-03-10T03:15:00.000Z");
		expect(nextRunAt(new Date("2031-03-10T03:15:00Z"))).toBe("2031-03-10T04:15:00.000Z");
		expect(nextRunAt(new Date("2031-12-31T23:40:00Z"))).toBe("2032-01-01T00:15:00.000Z");
	});
});
