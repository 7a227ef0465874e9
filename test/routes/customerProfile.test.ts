import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type Database, database } from "../../src/db/client";
import { systemClock } from "../../src/lib/clock";
import { createLogger } from "../../src/lib/logger";
import { customerProfile } from "../../src/services/customers/customerProfile";
import { api, expectProblem, newCustomer, newTenant } from "../helpers/api";
import { newInvoice } from "../helpers/invoices";

describe("the customer's billing profile", () => {
	it("shows balances per currency, the payment methods in brief and the delinquency", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key, { email: "ap@acme.example" });
		await api("/v1/billing/fx-rates", { key, body: { currency: "USD", rate: "0.92", effective_date: "2020-01-01" } });
		const late = await newInvoice(key, customer.id, {
			issue_date: "2026-01-01",
			due_date: "2026-01-31",
			finalize: true,
		});
		const due = await newInvoice(key, customer.id, { finalize: true, due_date: "2099-01-01" });
		const dollars = await newInvoice(key, customer.id, { currency: "USD", finalize: true, due_date: "2099-01-01" });
		await newInvoice(key, customer.id); // a draft owes nothing yet
		const credit = await api("/v1/billing/credit-notes", {
			key,
			body: { invoice_id: due.id, amount: 1000, reason: "Goodwill", apply_to_invoice: false },
		});
		expect(credit.status).toBe(201);
		await api(`/v1/billing/customers/${customer.id}/payment-methods`, {
			key,
			body: { gateway_token: "pm_visa", brand: "visa", last4: "4242", exp_month: 12, exp_year: 2099 },
		});
		await api(`/v1/billing/customers/${customer.id}/payment-methods`, {
			key,
			body: { gateway_token: "pm_old", brand: "mastercard", last4: "4444", exp_month: 1, exp_year: 2020 },
		});

		const profile = await api(`/v1/billing/customers/${customer.id}`, { key });
		expect(profile.status).toBe(200);
		expect(profile.headers.get("etag")).toBe(`"${customer.version}"`);
		expect(profile.body).toMatchObject({ id: customer.id, object: "customer", email: "ap@acme.example" });
		const [eur, usd] = profile.body.balances;
		expect(eur).toMatchObject({
			currency: "EUR",
			outstanding: late.total + due.total,
			overdue: late.total,
			credit: 1000,
			net: late.total + due.total - 1000,
		});
		expect(eur.aging.current).toBe(due.total);
		expect(usd).toMatchObject({ currency: "USD", outstanding: dollars.total, overdue: 0, credit: 0 });
		expect(profile.body.payment_methods).toEqual({
			count: 2,
			expired: 1,
			default: { id: expect.any(String), brand: "visa", last4: "4242", exp_month: 12, exp_year: 2099, expired: false },
		});
		expect(profile.body.delinquency).toMatchObject({
			delinquent: true,
			overdue_invoices: 1,
			oldest_overdue_due_date: "2026-01-31",
			subscriptions_past_due: 0,
		});
		expect(profile.body.delinquency.days_past_due).toBeGreaterThan(0);

		// The same figures as the balance endpoint, which now also says what is overdue.
		const balance = await api(`/v1/billing/customers/${customer.id}/balance`, { key });
		expect(balance.body.balances).toEqual(profile.body.balances);
	});

	it("is current and empty for a new customer; the list stays the plain customers", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const profile = await api(`/v1/billing/customers/${customer.id}`, { key });
		expect(profile.body).toMatchObject({
			balances: [],
			payment_methods: { count: 0, expired: 0, default: null },
			delinquency: { delinquent: false, overdue_invoices: 0, oldest_overdue_due_date: null, days_past_due: 0 },
		});
		const list = await api("/v1/billing/customers", { key });
		expect(list.body.data[0].id).toBe(customer.id);
		expect(list.body.data[0]).not.toHaveProperty("balances");
		expect(list.body.data[0]).not.toHaveProperty("delinquency");
	});

	it("reads the customer and its profile in one batch", async () => {
		const { key, tenantId } = await newTenant();
		const customer = await newCustomer(key);
		await newInvoice(key, customer.id, { finalize: true });
		const db = database(env.DB);
		const batches: number[] = [];
		const watched: Database = Object.assign(Object.create(db), {
			batch: (items: Parameters<Database["batch"]>[0]) => {
				batches.push(items.length);
				return db.batch(items);
			},
		});
		const { profile } = await customerProfile({
			ctx: {
				db: watched,
				env,
				tenantId,
				actor: { type: "api_key", id: "test" },
				requestId: null,
				clock: systemClock,
				logger: createLogger(),
			},
			id: customer.id,
		});
		expect(profile.balances).toHaveLength(1);
		expect(batches).toEqual([6]);
	});

	it("answers 404 for another tenant's customer and for an unknown one", async () => {
		const { key } = await newTenant();
		const other = await newTenant();
		const customer = await newCustomer(key);
		expectProblem(await api(`/v1/billing/customers/${customer.id}`, { key: other.key }), 404, "not_found");
		expectProblem(await api(`/v1/billing/customers/${customer.id}/balance`, { key: other.key }), 404, "not_found");
		expectProblem(await api("/v1/billing/customers/cus_01JD3Q8W5Z9K2M4N6P8R0T2V4X", { key }), 404, "not_found");
	});
});
