// What is measured: the baselines (plain routes in bench/baselines.ts) and the product's
// scenarios, each as a request generator for autocannon; the webhook scenario is driven separately.
import { ACCOUNTS, customerBody, invoiceBody, paymentBody, SEEDED_INVOICES, seededInvoiceId } from "./workload.mjs";

const rand = (n) => Math.floor(Math.random() * n);

export const BASELINES = [
	{ id: "noop", name: "Trivial route", route: "GET /__bench/noop" },
	{ id: "d1_read", name: "D1 point read", route: "GET /__bench/d1/read/:k (10,000 rows)" },
	{ id: "d1_batch", name: "D1 batch of 10 inserts", route: "POST /__bench/d1/batch" },
	{
		id: "do_write",
		name: "Durable Object call that writes D1 (one object)",
		route: "POST /__bench/do/write?object=hot",
	},
	{
		id: "do_write_1000",
		name: "Durable Object call that writes D1 (1,000 objects)",
		route: "POST /__bench/do/write?object=acct-N",
		spread: true,
	},
];

/**
 * `spread`: it goes to random accounts of 1,000, each its own Durable Object: before its warm-up, one request
 * reaches every account, so it is measured with the objects running, as in a service that has been up (a
 * fresh server makes each object on its first call, about 2 ms each locally).
 * `baseline`: the same-run baseline the scenario is read against; `target`: the required ratio on Miniflare;
 * `mutates`: it writes events (so the queue consumer has work after it); `variant`: the same scenario in
 * tenant B, whose small history shows what tenant A's 200,000 events cost.
 */
export const SCENARIOS = [
	{
		id: "customer_create",
		name: "Create customer (tenant A: 100k invoices, 200k events)",
		route: "POST /v1/billing/customers",
		baseline: "d1_batch",
		mutates: true,
	},
	{
		id: "customer_create_new",
		name: "Create customer (tenant B: new, no history)",
		route: "POST /v1/billing/customers",
		baseline: "d1_batch",
		mutates: true,
	},
	{
		id: "invoice_create",
		mutates: true,
		spread: true,
		name: "Create and finalize invoice (5 lines, 2 taxes by the tax engine)",
		route: "POST /v1/billing/invoices {finalize: true}",
		baseline: "d1_batch",
		target: 0.4,
	},
	{
		id: "invoice_create_new",
		mutates: true,
		name: "Create and finalize invoice, tenant B (no history)",
		route: "POST /v1/billing/invoices {finalize: true}",
		baseline: "d1_batch",
		target: 0.4,
		variant: true,
	},
	{
		id: "invoice_get",
		name: "Get invoice (of 100,000)",
		route: "GET /v1/billing/invoices/:id",
		baseline: "d1_read",
		target: 0.5,
	},
	{
		id: "list_customer",
		name: "List invoices: one customer's open ones",
		route: "GET /v1/billing/invoices?customer_id=…&status=issued,partially_paid&limit=25",
		baseline: "d1_read",
	},
	{
		id: "list_overdue",
		name: "List invoices: overdue",
		route: "GET /v1/billing/invoices?overdue=true&limit=50",
		baseline: "d1_read",
	},
	{
		id: "list_range",
		name: "List invoices: date range, min amount, by total",
		route: "GET /v1/billing/invoices?from=…&to=…&min_amount=…&sort=-total&limit=50",
		baseline: "d1_read",
	},
	{
		id: "list_deep",
		name: "List invoices: page 100 of paid",
		route: "GET /v1/billing/invoices?status=paid&page=100&limit=50",
		baseline: "d1_read",
	},
	{
		id: "payment_hot",
		mutates: true,
		name: "Record payment, one hot account",
		route: "POST /v1/billing/payments (one customer)",
		baseline: "do_write",
		target: 0.5,
	},
	{
		id: "payment_hot_new",
		mutates: true,
		name: "Record payment, one hot account, tenant B (no history)",
		route: "POST /v1/billing/payments (one customer)",
		baseline: "do_write",
		target: 0.5,
		variant: true,
	},
	{
		id: "payment_spread",
		mutates: true,
		name: "Record payment, 1,000 accounts",
		route: "POST /v1/billing/payments (random of 1,000 customers)",
		spread: true,
		baseline: "do_write_1000",
	},
];

/**
 * Rows `npm run bench` measures elsewhere (bench/usage.mjs), here so that `bench/profile.mjs` can load
 * and profile them too. Tenant A has no metric: its events are stored as pending, not aggregated.
 */
export const PROFILE_ONLY = [
	{
		id: "usage_ingest",
		name: "Usage ingestion, 100 events per request",
		route: "POST /v1/billing/usage",
		baseline: "noop",
		mutates: true,
	},
];

/**
 * The request generator of each baseline and scenario, over the template's tenant, keys and ids. With
 * `everyAccount`, the scenarios spread over accounts take them in turn instead of at random, so
 * ACCOUNTS requests reach each account (and its Durable Object) once.
 */
export function generators(template, runTag, { everyAccount = false } = {}) {
	let counter = 0;
	let turn = 0;
	const account = () => (everyAccount ? turn++ % ACCOUNTS : rand(ACCOUNTS));
	const api = (method, path, body, key = template.tenantA.key) => {
		counter += 1;
		const headers = { authorization: `Bearer ${key}` };
		if (body === undefined) return { method, path, headers };
		headers["content-type"] = "application/json";
		headers["idempotency-key"] = `bench-${runTag}-${counter}`;
		return { method, path, headers, body: JSON.stringify(body) };
	};
	const customer = () => template.customers[account()];
	const hot = template.customers[0];
	const day = (offsetDays) => new Date(Date.now() - offsetDays * 86_400_000).toISOString().slice(0, 10);
	return {
		noop: () => ({ method: "GET", path: "/__bench/noop" }),
		d1_read: () => ({ method: "GET", path: `/__bench/d1/read/${1 + rand(10_000)}` }),
		d1_batch: () => ({ method: "POST", path: "/__bench/d1/batch" }),
		do_write: () => ({ method: "POST", path: "/__bench/do/write?object=hot" }),
		do_write_1000: () => ({ method: "POST", path: `/__bench/do/write?object=acct-${account()}` }),
		customer_create: () => api("POST", "/v1/billing/customers", customerBody(10_000 + counter)),
		customer_create_new: () =>
			api("POST", "/v1/billing/customers", customerBody(10_000 + counter), template.tenantB.key),
		invoice_create: () => api("POST", "/v1/billing/invoices", invoiceBody(customer(), counter)),
		invoice_create_new: () =>
			api(
				"POST",
				"/v1/billing/invoices",
				invoiceBody(template.customersB[rand(template.customersB.length)], counter),
				template.tenantB.key,
			),
		invoice_get: () => api("GET", `/v1/billing/invoices/${seededInvoiceId(1 + rand(SEEDED_INVOICES))}`),
		list_customer: () =>
			api("GET", `/v1/billing/invoices?customer_id=${customer()}&status=issued,partially_paid&limit=25`),
		list_overdue: () => api("GET", "/v1/billing/invoices?overdue=true&limit=50"),
		list_range: () => {
			const from = 30 + rand(600);
			return api(
				"GET",
				`/v1/billing/invoices?from=${day(from + 90)}&to=${day(from)}&min_amount=140000&sort=-total&limit=50`,
			);
		},
		list_deep: () => api("GET", "/v1/billing/invoices?status=paid&page=100&limit=50"),
		payment_hot: () => api("POST", "/v1/billing/payments", paymentBody(hot, counter)),
		payment_hot_new: () =>
			api("POST", "/v1/billing/payments", paymentBody(template.customersB[0], counter), template.tenantB.key),
		payment_spread: () => api("POST", "/v1/billing/payments", paymentBody(customer(), counter)),
		// As bench/usage.mjs sends them: no Idempotency-Key (each event's id makes a retry safe).
		usage_ingest: () => {
			counter += 1;
			const timestamp = new Date().toISOString();
			const events = Array.from({ length: 100 }, (_, i) => ({
				event_id: `bench-${runTag}-${counter}-${i}`,
				customer_id: template.customers[(counter * 100 + i) % ACCOUNTS],
				metric: "api_calls",
				quantity: 1,
				timestamp,
				dimensions: { region: ["us-east-1", "eu-west-1", "ap-south-1"][i % 3] },
			}));
			const headers = { authorization: `Bearer ${template.tenantA.key}`, "content-type": "application/json" };
			return { method: "POST", path: "/v1/billing/usage", headers, body: JSON.stringify(events) };
		},
	};
}
