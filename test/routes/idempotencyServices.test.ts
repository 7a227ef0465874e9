import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type ApiResponse, adminToken, api, newCustomer, newTenant } from "../helpers/api";
import { newInvoice } from "../helpers/invoices";

// Mutations whose change is one D1 batch outside the account object answer their Idempotency-Key in that
// batch. Every test here also passes test/helpers/answersMissing.ts: no success went without its answer.

const idem = (key: string) => ({ "Idempotency-Key": key });

type Sent = { path: string; method?: string; body?: unknown };

/** A representative mutation of a resource, prepared in a fresh tenant by `prepare`. */
type Keyed = { name: string; status: number; prepare: (key: string) => Promise<Sent> };

const post = (path: string, body: unknown = {}): Sent => ({ path, body });

const newPlan = async (key: string, code = "pro") =>
	(
		await api("/v1/billing/plans", {
			key,
			body: { code, name: code, interval: "month", amount: 2900, currency: "EUR" },
		})
	).body;
const newEndpoint = async (key: string) =>
	(await api("/v1/billing/webhooks", { key, body: { url: "https://hooks.example.com/in", events: ["invoice.paid"] } }))
		.body;
const newTemplate = async (key: string) =>
	(
		await api("/v1/billing/templates", {
			key,
			body: { kind: "invoice", locale: "en-GB", subject: "Invoice {{invoice.number}}", body: "Hello" },
		})
	).body;
const dunningRule = { name: "Standard", steps: [{ days_after_due: 3, action: "sms" }] };
const newDunningRule = async (key: string) => (await api("/v1/billing/dunning/rules", { key, body: dunningRule })).body;
const newApiKey = async (key: string) =>
	(await api("/v1/billing/keys", { key, body: { name: "Reader", role: "billing_reader" } })).body;
const newPaymentMethod = async (key: string, customerId: string) =>
	(
		await api(`/v1/billing/customers/${customerId}/payment-methods`, {
			key,
			body: { gateway_token: "pm_1234567890", exp_month: 12, exp_year: 2099 },
		})
	).body;

const routes: Keyed[] = [
	{ name: "POST dunning/rules", status: 201, prepare: async () => post("/v1/billing/dunning/rules", dunningRule) },
	{
		name: "PATCH dunning/rules/{id}",
		status: 200,
		prepare: async (key) => ({
			path: `/v1/billing/dunning/rules/${(await newDunningRule(key)).id}`,
			method: "PATCH",
			body: { is_default: true },
		}),
	},
	{
		name: "DELETE dunning/rules/{id}",
		status: 200,
		prepare: async (key) => ({ path: `/v1/billing/dunning/rules/${(await newDunningRule(key)).id}`, method: "DELETE" }),
	},
	{
		name: "POST plans",
		status: 201,
		prepare: async () =>
			post("/v1/billing/plans", { code: "p", name: "P", interval: "month", amount: 1, currency: "EUR" }),
	},
	{
		name: "PATCH plans/{id}",
		status: 200,
		prepare: async (key) => ({
			path: `/v1/billing/plans/${(await newPlan(key)).id}`,
			method: "PATCH",
			body: { name: "Q" },
		}),
	},
	{
		name: "DELETE plans/{id}",
		status: 204,
		prepare: async (key) => ({ path: `/v1/billing/plans/${(await newPlan(key)).id}`, method: "DELETE" }),
	},
	{
		name: "POST coupons",
		status: 201,
		prepare: async () => post("/v1/billing/coupons", { code: "TEN", name: "10 %", percent_off: 10, duration: "once" }),
	},
	{
		name: "POST webhooks (its secret shown once)",
		status: 201,
		prepare: async () => post("/v1/billing/webhooks", { url: "https://hooks.example.com/a", events: ["invoice.paid"] }),
	},
	{
		name: "POST webhooks/{id}/rotate-secret",
		status: 200,
		prepare: async (key) => post(`/v1/billing/webhooks/${(await newEndpoint(key)).id}/rotate-secret`),
	},
	{
		name: "DELETE webhooks/{id}",
		status: 204,
		prepare: async (key) => ({ path: `/v1/billing/webhooks/${(await newEndpoint(key)).id}`, method: "DELETE" }),
	},
	{
		name: "POST templates (Location)",
		status: 201,
		prepare: async () =>
			post("/v1/billing/templates", { kind: "reminder", locale: "de-DE", subject: "Erinnerung", body: "Hallo" }),
	},
	{
		name: "PATCH templates/{id}",
		status: 200,
		prepare: async (key) => ({
			path: `/v1/billing/templates/${(await newTemplate(key)).id}`,
			method: "PATCH",
			body: { subject: "Your invoice {{invoice.number}}" },
		}),
	},
	{
		name: "POST tax/rates",
		status: 201,
		prepare: async () =>
			post("/v1/billing/tax/rates", { country: "DE", tax_code: "standard", rate: "20", valid_from: "2020-01-01" }),
	},
	{
		name: "POST tax-providers",
		status: 201,
		prepare: async () =>
			post("/v1/billing/tax-providers", {
				name: "Tax",
				endpoint_url: "https://tax.example.com/v1",
				secret: "sk_provider_1234",
			}),
	},
	{
		name: "POST keys (its secret shown once)",
		status: 201,
		prepare: async () => post("/v1/billing/keys", { name: "Reader", role: "billing_reader" }),
	},
	{
		name: "DELETE keys/{id}",
		status: 200,
		prepare: async (key) => ({ path: `/v1/billing/keys/${(await newApiKey(key)).id}`, method: "DELETE" }),
	},
	{
		name: "POST roles",
		status: 201,
		prepare: async () => post("/v1/billing/roles", { name: "auditor", permissions: ["customers:read"] }),
	},
	{
		name: "POST ledger/accounts",
		status: 201,
		prepare: async () => post("/v1/billing/ledger/accounts", { code: "6990", name: "Travel", type: "expense" }),
	},
	{
		name: "POST fx-rates",
		status: 201,
		prepare: async () => post("/v1/billing/fx-rates", { currency: "USD", rate: "0.92", effective_date: "2020-01-01" }),
	},
	{
		// Its retry, run again, fails validation on the books it closed: it replays the first answer instead.
		name: "POST ledger/periods/close",
		status: 200,
		prepare: async () => post("/v1/billing/ledger/periods/close", { through: "2020-01-31" }),
	},
	{
		name: "POST journals (as the database totals it)",
		status: 201,
		prepare: async () =>
			post("/v1/billing/journals", {
				date: "2026-01-31",
				currency: "EUR",
				description: "Accrual",
				entries: [
					{ account_code: "1100", debit: 5000, description: "Accrued", source_ref: "ACC-1" },
					{ account_code: "4000", credit: 5000 },
				],
			}),
	},
	{
		name: "POST tax/adjust (its journal included)",
		status: 201,
		prepare: async () =>
			post("/v1/billing/tax/adjust", {
				jurisdiction: "DE",
				direction: "increase",
				amount: 500,
				currency: "EUR",
				reason: "Rate error",
			}),
	},
	{
		name: "PATCH billable-metrics/{id}",
		status: 200,
		prepare: async (key) => {
			const metric = await api("/v1/billing/billable-metrics", {
				key,
				body: { code: "calls", name: "Calls", aggregation: "count" },
			});
			return { path: `/v1/billing/billable-metrics/${metric.body.id}`, method: "PATCH", body: { name: "API calls" } };
		},
	},
	{
		name: "POST test-clocks",
		status: 201,
		prepare: async () => post("/v1/billing/test-clocks", { name: "Year one", frozen_time: "2030-01-31T09:00:00Z" }),
	},
	{
		name: "POST customers/{id}/payment-methods",
		status: 201,
		prepare: async (key) =>
			post(`/v1/billing/customers/${(await newCustomer(key)).id}/payment-methods`, {
				gateway_token: "pm_1234567890",
				exp_month: 12,
				exp_year: 2099,
			}),
	},
	{
		name: "DELETE customers/{id}/payment-methods/{pmId}",
		status: 204,
		prepare: async (key) => {
			const customer = await newCustomer(key);
			const method = await newPaymentMethod(key, customer.id);
			return { path: `/v1/billing/customers/${customer.id}/payment-methods/${method.id}`, method: "DELETE" };
		},
	},
	{
		name: "POST customers/{id}/notes",
		status: 201,
		prepare: async (key) => post(`/v1/billing/customers/${(await newCustomer(key)).id}/notes`, { body: "Called" }),
	},
	{
		name: "POST customers (Location, ETag)",
		status: 201,
		prepare: async () => post("/v1/billing/customers", { name: "Acme" }),
	},
	{
		name: "POST customers/{id}/statement (Location)",
		status: 201,
		prepare: async (key) =>
			post(`/v1/billing/customers/${(await newCustomer(key)).id}/statement`, { from: "2026-01-01", to: "2026-12-31" }),
	},
	{
		name: "PATCH invoices/{id} (ETag)",
		status: 200,
		prepare: async (key) => {
			const invoice = await newInvoice(key, (await newCustomer(key)).id);
			return { path: `/v1/billing/invoices/${invoice.id}`, method: "PATCH", body: { memo: "Thanks" } };
		},
	},
];

const send = (key: string, sent: Sent, idempotencyKey: string) =>
	api(sent.path, { key, method: sent.method ?? "POST", body: sent.body, headers: idem(idempotencyKey) });

/** The key's row: answered in a commit, it was never locked (its lock ends when it was created). */
const keyRow = (scope: string, key: string) =>
	env.DB.prepare("select state, created_at, locked_until from idempotency_keys where tenant_id = ? and key = ?")
		.bind(scope, key)
		.first<{ state: string; created_at: string; locked_until: string }>();

function expectSameAnswer(replay: ApiResponse, first: ApiResponse) {
	expect(replay.status).toBe(first.status);
	expect(replay.text).toBe(first.text);
	for (const header of ["content-type", "etag", "location"]) {
		expect(replay.headers.get(header), header).toBe(first.headers.get(header));
	}
}

describe("Idempotency-Key answered in the change's own commit, outside the account object", () => {
	it.each(routes)("$name: replays the first answer byte for byte", async (route) => {
		const { key, tenantId } = await newTenant();
		const sent = await route.prepare(key);
		const first = await send(key, sent, "replayed");
		expect(first.status, first.text).toBe(route.status);
		expect(first.headers.get("idempotent-replayed")).toBe(null);
		const replay = await send(key, sent, "replayed");
		expectSameAnswer(replay, first);
		expect(replay.headers.get("idempotent-replayed")).toBe("true");
		const row = await keyRow(tenantId, "replayed");
		expect(row?.state).toBe("completed");
		expect(row?.locked_until).toBe(row?.created_at);
	});

	it("answers a journal exactly as reading it back shows it", async () => {
		const { key } = await newTenant();
		await api("/v1/billing/fx-rates", { key, body: { currency: "USD", rate: "0.92", effective_date: "2020-01-01" } });
		const entries = [
			{ account_code: "1100", debit: 1234 },
			{ account_code: "4000", credit: 1000 },
			{ account_code: "4100", credit: 234, description: "Split" },
		];
		const created = await api("/v1/billing/journals", {
			key,
			body: { date: "2026-01-31", currency: "USD", description: "In dollars", entries },
			headers: idem("journal-read-back"),
		});
		expect(created.status, created.text).toBe(201);
		expect(created.text).toBe((await api(`/v1/billing/journals/${created.body.id}`, { key })).text);
	});

	it("answers the operator's tenant creation in its commit, the new key's secret included", async () => {
		const body = { name: "Keyed tenant", default_currency: "EUR" };
		const first = await api("/v1/admin/tenants", { key: adminToken(), body, headers: idem("onboard-in-commit") });
		const replay = await api("/v1/admin/tenants", { key: adminToken(), body, headers: idem("onboard-in-commit") });
		expect(first.status).toBe(201);
		expectSameAnswer(replay, first);
		expect(replay.body.api_key.secret).toBe(first.body.api_key.secret);
		const row = await keyRow("operator", "onboard-in-commit");
		expect(row?.locked_until).toBe(row?.created_at);
	});

	it("stores the answer of a success that changed nothing (a key revoked already) after the handler", async () => {
		const { key } = await newTenant();
		const reader = await newApiKey(key);
		const path = `/v1/billing/keys/${reader.id}`;
		expect((await api(path, { key, method: "DELETE" })).status).toBe(200);
		const again = await api(path, { key, method: "DELETE", headers: idem("revoked-already") });
		expect(again.status).toBe(200);
		expectSameAnswer(await api(path, { key, method: "DELETE", headers: idem("revoked-already") }), again);
	});

	it("lets a dialect route that claims its key first call a service that answers in its commit", async () => {
		const { key } = await newTenant();
		const created = await api("/api/v1/customers", {
			key,
			body: { companyName: "Acme Corp", email: "ap@acme.example" },
			headers: idem("dialect-create"),
		});
		expect(created.status).toBe(201);
		const path = `/api/v1/customers/${created.body.id}`;
		const updated = await api(path, { key, method: "PUT", body: { phone: "+49 30 1" }, headers: idem("dialect-put") });
		expect(updated.status, updated.text).toBe(200);
		const replay = await api(path, { key, method: "PUT", body: { phone: "+49 30 1" }, headers: idem("dialect-put") });
		expectSameAnswer(replay, updated);
		expect(replay.headers.get("idempotent-replayed")).toBe("true");
	});
});

describe("concurrent requests with one key: one change, one answer", () => {
	const concurrent = async (key: string, sent: Sent, idempotencyKey: string) => {
		const results = await Promise.all(Array.from({ length: 4 }, () => send(key, sent, idempotencyKey)));
		const ran = results.filter((r) => r.headers.get("idempotent-replayed") === null);
		expect(ran, results.map((r) => `${r.status} ${r.text}`).join(" / ")).toHaveLength(1);
		for (const other of results) expectSameAnswer(other, ran[0] as ApiResponse);
		return ran[0] as ApiResponse;
	};

	it("creates one webhook endpoint, though nothing else tells the requests apart", async () => {
		const { key } = await newTenant();
		const sent = post("/v1/billing/webhooks", { url: "https://hooks.example.com/once", events: ["invoice.paid"] });
		expect((await concurrent(key, sent, "endpoint-burst")).status).toBe(201);
		expect((await api("/v1/billing/webhooks", { key })).body.data).toHaveLength(1);
	});

	it("issues one API key, its secret answered to every request", async () => {
		const { key } = await newTenant();
		const first = await concurrent(
			key,
			post("/v1/billing/keys", { name: "Twice?", role: "billing_reader" }),
			"key-burst",
		);
		expect(first.status).toBe(201);
		const keys = (await api("/v1/billing/keys", { key })).body.data as { name: string }[];
		expect(keys.filter((k) => k.name === "Twice?")).toHaveLength(1);
	});

	it("adds one payment method and one note", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const methods = `/v1/billing/customers/${customer.id}/payment-methods`;
		await concurrent(key, post(methods, { gateway_token: "pm_1234567890", exp_month: 1, exp_year: 2099 }), "pm-burst");
		expect((await api(methods, { key })).body.data).toHaveLength(1);
		const notes = `/v1/billing/customers/${customer.id}/notes`;
		await concurrent(key, post(notes, { body: "Once" }), "note-burst");
		expect((await api(notes, { key })).body.data).toHaveLength(1);
	});

	it("moves a template, a plan and a dunning rule by one version each", async () => {
		const { key } = await newTenant();
		const template = await newTemplate(key);
		const patched = await concurrent(
			key,
			{ path: `/v1/billing/templates/${template.id}`, method: "PATCH", body: { subject: "New {{invoice.number}}" } },
			"template-burst",
		);
		expect(patched.body.version).toBe(2);
		const plan = await newPlan(key);
		const renamed = await concurrent(
			key,
			{ path: `/v1/billing/plans/${plan.id}`, method: "PATCH", body: { name: "Renamed" } },
			"plan-burst",
		);
		expect(renamed.body.version).toBe(2);
		expect((await api(`/v1/billing/plans/${plan.id}`, { key })).body.version).toBe(2);
		const rule = await newDunningRule(key);
		const defaulted = await concurrent(
			key,
			{ path: `/v1/billing/dunning/rules/${rule.id}`, method: "PATCH", body: { is_default: true } },
			"rule-burst",
		);
		expect(defaulted.body.version).toBe(2);
	});

	it("refuses a stale update of a plan whole: no audit row, no answer stored for its key", async () => {
		const { key, tenantId } = await newTenant();
		const plan = await newPlan(key);
		const path = `/v1/billing/plans/${plan.id}`;
		expect((await api(path, { key, method: "PATCH", body: { name: "First" } })).status).toBe(200);
		const stale = await api(path, {
			key,
			method: "PATCH",
			body: { name: "Stale", version: 1 },
			headers: idem("stale"),
		});
		expect(stale.status).toBe(409);
		const audits = await env.DB.prepare(
			"select count(*) as n from audit_log where tenant_id = ? and target_id = ? and action = 'plan.updated'",
		)
			.bind(tenantId, plan.id)
			.first<{ n: number }>();
		expect(audits?.n).toBe(1);
		// The refusal is the key's answer (stored after the handler): a retry replays it.
		const retried = await api(path, {
			key,
			method: "PATCH",
			body: { name: "Stale", version: 1 },
			headers: idem("stale"),
		});
		expect(retried.status).toBe(409);
		expect(retried.headers.get("idempotent-replayed")).toBe("true");
	});
});
