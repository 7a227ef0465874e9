import { inject } from "vitest";
import { api } from "./api";
import { sampleItems } from "./invoices";

/**
 * One way to make an object of each id kind (the prefix of its ids: cus_, inv_ …), so tests driven by
 * the OpenAPI document (test/fuzz, test/isolation) can reach every route that takes an id. A route whose
 * id kind is missing here fails those tests until a factory is added.
 */
export type ObjectWorld = {
	readonly key: string;
	/** The world's object of `kind`, made (with whatever it depends on) on first use. */
	get(kind: string): Promise<string>;
};

type Factory = (world: ObjectWorld) => Promise<string>;

/** The loopback receiver (test/webhookReceiver.globalSetup.ts): no delivery resolves an outside host. */
export const webhookReceiverUrl = () => inject("webhookReceiverUrl");

async function created(world: ObjectWorld, path: string, body?: unknown): Promise<any> {
	const res = await api(path, { key: world.key, method: "POST", body });
	if (res.status >= 300) throw new Error(`POST ${path} failed: ${res.status} ${res.text}`);
	return res.body;
}

async function firstListed(world: ObjectWorld, path: string): Promise<string> {
	for (let attempt = 0; attempt < 100; attempt++) {
		const res = await api(path, { key: world.key });
		const id = res.body?.data?.[0]?.id;
		if (typeof id === "string") return id;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	throw new Error(`nothing ever listed at ${path}`);
}

const unique = () => Math.random().toString(36).slice(2, 10);

export const objectFactories: Record<string, Factory> = {
	cus: async (w) => (await created(w, "/v1/billing/customers", { name: "Acme GmbH", email: "ap@acme.test" })).id,
	pm: async (w) =>
		(
			await created(w, `/v1/billing/customers/${await w.get("cus")}/payment-methods`, {
				gateway_token: "pm_gateway_token",
				brand: "visa",
				last4: "4242",
				exp_month: 12,
				exp_year: 2099,
			})
		).id,
	inv: async (w) =>
		(
			await created(w, "/v1/billing/invoices", {
				customer_id: await w.get("cus"),
				items: sampleItems,
				finalize: true,
				issue_date: "2026-01-10",
			})
		).id,
	cn: async (w) =>
		(await created(w, "/v1/billing/credit-notes", { invoice_id: await w.get("inv"), amount: 100, reason: "Goodwill" }))
			.id,
	pay: async (w) =>
		(
			await created(w, "/v1/billing/payments", {
				customer_id: await w.get("cus"),
				invoice_id: await w.get("inv"),
				amount: 1000,
				currency: "EUR",
				payment_method: "bank_transfer",
			})
		).id,
	re: async (w) => (await created(w, "/v1/billing/refunds", { payment_id: await w.get("pay"), amount: 100 })).id,
	rec: async (w) =>
		(
			await created(w, "/v1/billing/payments/reconcile", {
				lines: [{ date: "2026-01-20", amount: 777, currency: "EUR", reference: "no match" }],
			})
		).id,
	dp: async (w) =>
		(
			await created(w, "/v1/billing/chargebacks", {
				payment_id: await w.get("pay"),
				amount: 100,
				reason: "product_not_received",
			})
		).id,
	key: async (w) => (await created(w, "/v1/billing/keys", { name: "Reader", role: "billing_reader" })).id,
	aud: async (w) => {
		await w.get("cus");
		return firstListed(w, "/v1/billing/audit");
	},
	evt: async (w) => {
		await w.get("cus");
		return firstListed(w, "/v1/billing/events");
	},
	job: async (w) =>
		(
			await created(w, "/v1/billing/exports/accounting", {
				format: "xero",
				date_range: { from: "2026-01-01", to: "2026-01-31" },
			})
		).id,
	jrnl: async (w) =>
		(
			await created(w, "/v1/billing/journals", {
				date: "2026-01-31",
				currency: "EUR",
				description: "Accrual",
				entries: [
					{ account_code: "1100", debit: 500 },
					{ account_code: "4000", credit: 500 },
				],
			})
		).id,
	we: async (w) => (await created(w, "/v1/billing/webhooks", { url: webhookReceiverUrl(), events: ["*"] })).id,
	msg: async (w) => {
		const endpoint = await w.get("we");
		await created(w, "/v1/billing/customers", { name: "Webhook trigger" });
		return firstListed(w, `/v1/billing/webhooks/${endpoint}/deliveries`);
	},
	plan: async (w) =>
		(
			await created(w, "/v1/billing/plans", {
				code: `plan_${unique()}`,
				name: "Pro",
				interval: "month",
				amount: 2900,
				currency: "EUR",
			})
		).id,
	coupon: async (w) =>
		(
			await created(w, "/v1/billing/coupons", {
				code: `OFF${unique().toUpperCase()}`,
				name: "10 % off",
				percent_off: 10,
				duration: "once",
			})
		).id,
	sub: async (w) =>
		(await created(w, "/v1/billing/subscriptions", { customer_id: await w.get("cus"), plan_id: await w.get("plan") }))
			.id,
	clock: async (w) =>
		(await created(w, "/v1/billing/test-clocks", { name: "Clock", frozen_time: "2026-01-01T00:00:00Z" })).id,
	stmt: async (w) =>
		(
			await created(w, `/v1/billing/customers/${await w.get("cus")}/statement`, {
				from: "2026-01-01",
				to: "2026-03-31",
				currency: "EUR",
			})
		).id,
	tmpl: async (w) =>
		(
			await created(w, "/v1/billing/templates", {
				kind: "invoice",
				locale: "de-DE",
				subject: "Rechnung {{invoice.number}}",
				body: "Anbei Ihre Rechnung {{invoice.number}}.",
			})
		).id,
	dunr: async (w) =>
		(
			await created(w, "/v1/billing/dunning/rules", {
				name: "Standard",
				steps: [{ days_after_due: 7, action: "email" }],
			})
		).id,
	case: async (w) => {
		const customer = (await created(w, "/v1/billing/customers", { name: "Escalated" })).id;
		await created(w, "/v1/billing/dunning/rules", {
			name: "Escalating",
			steps: [{ days_after_due: 0, action: "hold_services" }],
			escalation: "case",
			is_default: true,
		});
		await created(w, "/v1/billing/invoices", {
			customer_id: customer,
			items: sampleItems,
			finalize: true,
			issue_date: "2026-01-10",
			due_date: "2026-02-09",
		});
		await created(w, "/v1/billing/dunning/run", { date: "2026-02-09" });
		return firstListed(w, `/v1/billing/collections/cases?customer_id=${customer}`);
	},
	// Seed 001's invoices, addressed by the numeric id its surface gives them.
	n: async (w) => {
		const res = await api("/v1/invoices", {
			key: w.key,
			body: { customer_id: await w.get("cus"), amount: 12.5, date: "2026-01-10", due_date: "2026-02-10" },
		});
		if (res.status !== 201) throw new Error(`POST /v1/invoices failed: ${res.status} ${res.text}`);
		return String(res.body.id);
	},
	usr: async (w) => {
		const { tenant_id } = (await api("/v1/billing/settings", { key: w.key })).body;
		const res = await api("/api/v1/auth/register", {
			headers: { "x-tenant-id": tenant_id },
			body: {
				email: `sales-${unique()}@example.com`,
				password: "s3cure-passphrase",
				fullName: "A Seller",
				role: "SALES",
			},
		});
		if (res.status !== 201) throw new Error(`POST /api/v1/auth/register failed: ${res.status} ${res.text}`);
		return res.body.id;
	},
	ten: async (w) => (await api("/v1/billing/settings", { key: w.key })).body.tenant_id,
	bm: async (w) =>
		(await created(w, "/v1/billing/billable-metrics", { code: `m_${unique()}`, name: "Calls", aggregation: "count" }))
			.id,
};

/** The objects of one tenant, each made once, on demand. */
export function objectWorld(key: string): ObjectWorld {
	const made = new Map<string, Promise<string>>();
	const world: ObjectWorld = {
		key,
		get(kind) {
			let id = made.get(kind);
			if (!id) {
				const factory = objectFactories[kind];
				if (!factory) throw new Error(`add a factory for '${kind}_' ids to test/helpers/objectFactories.ts`);
				id = factory(world);
				made.set(kind, id);
			}
			return id;
		},
	};
	return world;
}

/** The id kind a schema pattern such as `^cus_[0-9A-HJKMNP-TV-Z]{26}$` describes, if it describes one. */
export const idKindOfPattern = (pattern: string | undefined) =>
	pattern === NUMERIC_ID ? "n" : /^\^([a-z]+)_\[0-9A-HJKMNP-TV-Z\]\{26\}\$$/.exec(pattern ?? "")?.[1];

/** The pattern of seed 001's numeric ids, the one surface that takes them in a path (its invoices). */
const NUMERIC_ID = "^[1-9]\\d{0,14}$";

/** Nouns of id-valued fields without a pattern (`customer_id`, `invoice_id` …) by their id kind. */
export const idKindOfField: Record<string, string> = {
	customer_id: "cus",
	invoice_id: "inv",
	payment_id: "pay",
	plan_id: "plan",
	subscription_id: "sub",
	credit_note_id: "cn",
	payment_method_id: "pm",
	test_clock_id: "clock",
	// Filters naming an object of any kind (audit, events, journals) are tried with one kind each.
	actor_id: "key",
	target_id: "cus",
	resource_id: "cus",
	source_id: "inv",
};
