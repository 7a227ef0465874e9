import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type ApiResponse, api, newCustomer, newTenant } from "../helpers/api";
import { newInvoice } from "../helpers/invoices";
import { pay } from "../helpers/payments";
import { newPlan, subscribe } from "../helpers/subscriptions";

const idem = (key: string) => ({ "Idempotency-Key": key });

/** One request of a route whose change commits in the account object, on a world made for it. */
type Call = {
	path: string;
	method?: string;
	body?: unknown;
	status: number;
	/** The answer is not what the change records (its audit row's after): the key stores it as sent. */
	answerApart?: boolean;
};
type World = { key: string; customerId: string };

/** An issued invoice of 10000 and a payment of 6000 on it: 4000 left to pay. */
async function paidInPart({ key, customerId }: World) {
	const invoice = await newInvoice(key, customerId, {
		finalize: true,
		items: [{ description: "Service", unit_price: 10000 }],
	});
	const payment = await pay(key, { customer_id: customerId, amount: 6000 });
	return { invoice, payment };
}

async function creditNote(world: World, body: Record<string, unknown> = {}) {
	const { invoice } = await paidInPart(world);
	const res = await api("/v1/billing/credit-notes", {
		key: world.key,
		body: { invoice_id: invoice.id, amount: 1000, reason: "Goodwill", ...body },
	});
	expect(res.status).toBe(201);
	return res.body;
}

async function dispute(world: World) {
	const { payment } = await paidInPart(world);
	const res = await api("/v1/billing/disputes", {
		key: world.key,
		body: { payment_id: payment.id, amount: 1000, reason: "fraudulent" },
	});
	expect(res.status).toBe(201);
	return res.body;
}

async function subscription({ key, customerId }: World, status: "active" | "paused") {
	const plan = await newPlan(key);
	const sub = await subscribe(key, { customer_id: customerId, plan_id: plan.id, start_date: "2027-01-01" });
	if (status === "paused") {
		expect((await api(`/v1/billing/subscriptions/${sub.id}/pause`, { key, body: {} })).status).toBe(200);
	}
	return sub;
}

const routes: Record<string, (world: World) => Promise<Call>> = {
	"finalize an invoice": async ({ key, customerId }) => {
		const draft = await newInvoice(key, customerId);
		return { path: `/v1/billing/invoices/${draft.id}/finalize`, body: {}, status: 200 };
	},
	"delete a draft": async ({ key, customerId }) => {
		const draft = await newInvoice(key, customerId);
		return { path: `/v1/billing/invoices/${draft.id}`, method: "DELETE", status: 204 };
	},
	"refund a payment": async (world) => {
		const { payment } = await paidInPart(world);
		return { path: `/v1/billing/payments/${payment.id}/refund`, body: { amount: 500 }, status: 201 };
	},
	"create a refund": async (world) => {
		const { payment } = await paidInPart(world);
		return { path: "/v1/billing/refunds", body: { payment_id: payment.id, amount: 500 }, status: 201 };
	},
	"issue a credit note": async (world) => {
		const { invoice } = await paidInPart(world);
		return {
			path: "/v1/billing/credit-notes",
			body: { invoice_id: invoice.id, amount: 1000, reason: "Goodwill" },
			status: 201,
		};
	},
	"void a credit note": async (world) => {
		const note = await creditNote(world, { apply_to_invoice: false });
		return { path: `/v1/billing/credit-notes/${note.id}/void`, body: {}, status: 200 };
	},
	"open a chargeback": async (world) => {
		const { payment } = await paidInPart(world);
		return {
			path: "/v1/billing/chargebacks",
			body: { payment_id: payment.id, amount: 1000, reason: "fraudulent" },
			status: 201,
		};
	},
	"update a dispute": async (world) => {
		const opened = await dispute(world);
		return {
			path: `/v1/billing/disputes/${opened.id}`,
			method: "PATCH",
			body: { evidence: [{ kind: "receipt", description: "Signed delivery note" }], note: "Called" },
			status: 200,
		};
	},
	"resolve a dispute": async (world) => {
		const opened = await dispute(world);
		return { path: `/v1/billing/disputes/${opened.id}/resolve`, body: { outcome: "lost" }, status: 200 };
	},
	"allocate a payment's credit": async ({ key, customerId }) => {
		const payment = await pay(key, { customer_id: customerId, amount: 6000 });
		const invoice = await newInvoice(key, customerId, {
			finalize: true,
			items: [{ description: "Service", unit_price: 4000 }],
		});
		return {
			path: `/v1/billing/payments/${payment.id}/allocate`,
			body: { allocate: [{ invoice_id: invoice.id, amount: 2500 }] },
			status: 200,
			answerApart: true,
		};
	},
	"move an allocation to another invoice": async (world) => {
		const { invoice, payment } = await paidInPart(world);
		const next = await newInvoice(world.key, world.customerId, {
			finalize: true,
			items: [{ description: "Later", unit_price: 3000 }],
		});
		return {
			path: `/v1/billing/payments/${payment.id}/allocate`,
			body: {
				unallocate: [{ invoice_id: invoice.id, amount: 1000 }],
				allocate: [
					{ invoice_id: next.id, amount: 700 },
					{ invoice_id: invoice.id, amount: 100 },
				],
			},
			status: 200,
			answerApart: true,
		};
	},
	"apply a credit note": async (world) => {
		const note = await creditNote(world, { apply_to_invoice: false });
		const invoice = await newInvoice(world.key, world.customerId, {
			finalize: true,
			items: [{ description: "Next", unit_price: 2000 }],
		});
		return {
			path: `/v1/billing/credit-notes/${note.id}/apply`,
			body: { invoice_id: invoice.id, amount: 600 },
			status: 200,
			answerApart: true,
		};
	},
	"soft-delete a customer": async ({ key }) => {
		const customer = await newCustomer(key);
		return { path: `/v1/billing/customers/${customer.id}`, method: "DELETE", status: 200 };
	},
	"hard-delete a customer": async ({ key }) => {
		const customer = await newCustomer(key);
		return { path: `/v1/billing/customers/${customer.id}?hard=true`, method: "DELETE", status: 204 };
	},
	"pause a subscription": async (world) => {
		const sub = await subscription(world, "active");
		return { path: `/v1/billing/subscriptions/${sub.id}/pause`, body: {}, status: 200 };
	},
	"resume a subscription": async (world) => {
		const sub = await subscription(world, "paused");
		return { path: `/v1/billing/subscriptions/${sub.id}/resume`, body: {}, status: 200 };
	},
};

/** The key's stored answer, and the audit row its body is read from when it is the change's `after`. */
const storedKey = (tenantId: string, key: string) =>
	env.DB.prepare(
		"select state, response_status, response_body, audit_id from idempotency_keys where tenant_id = ? and key = ?",
	)
		.bind(tenantId, key)
		.first<{ state: string; response_status: number; response_body: string | null; audit_id: string | null }>();

const send = (key: string, call: Call, idempotencyKey: string) =>
	api(call.path, { key, method: call.method, body: call.body, headers: idem(idempotencyKey) });

function expectReplayOf(replay: ApiResponse, first: ApiResponse) {
	expect(replay.status).toBe(first.status);
	expect(replay.headers.get("idempotent-replayed")).toBe("true");
	expect(replay.text).toBe(first.text);
	for (const header of ["content-type", "etag", "location"])
		expect(replay.headers.get(header), header).toBe(first.headers.get(header));
}

describe("Idempotency-Key answered in the commit of an account operation", () => {
	it.each(Object.entries(routes))(
		"%s: the commit stores the answer, a retry replays it byte for byte",
		async (_, make) => {
			const { key, tenantId } = await newTenant();
			const { id: customerId } = await newCustomer(key);
			const call = await make({ key, customerId });
			const first = await send(key, call, "in-commit");
			expect(first.status, first.text).toBe(call.status);
			expect(first.headers.get("idempotent-replayed")).toBe(null);
			if (call.status === 201) expect(first.headers.get("location")).toMatch(new RegExp(`/${first.body.id}$`));

			const stored = await storedKey(tenantId, "in-commit");
			expect(stored).toMatchObject({ state: "completed", response_status: call.status });
			// The answer is the change the commit recorded: its body is that audit row's, not a copy.
			if (call.status !== 204 && !call.answerApart) expect(stored?.audit_id).toMatch(/^aud_/);
			if (call.answerApart) expect(stored?.response_body).toBe(first.text);

			expectReplayOf(await send(key, call, "in-commit"), first);
		},
	);

	it.each(Object.entries(routes))("%s: concurrent retries run it once and all answer as the first", async (_, make) => {
		const { key } = await newTenant();
		const { id: customerId } = await newCustomer(key);
		const call = await make({ key, customerId });
		const results = await Promise.all(Array.from({ length: 4 }, () => send(key, call, "burst")));
		const ran = results.filter((r) => r.headers.get("idempotent-replayed") === null);
		expect(ran, results.map((r) => `${r.status} ${r.text}`).join(" / ")).toHaveLength(1);
		const [first] = ran as [ApiResponse];
		expect(first.status, first.text).toBe(call.status);
		for (const other of results) if (other !== first) expectReplayOf(other, first);
	});

	it("moves money once: one refund, one credit note, one chargeback for concurrent retries", async () => {
		const { key } = await newTenant();
		const { id: customerId } = await newCustomer(key);
		const world = { key, customerId };
		const refund = await routes["refund a payment"]?.(world);
		const note = await routes["issue a credit note"]?.(world);
		const chargeback = await routes["open a chargeback"]?.(world);
		const burst = (call: Call | undefined, idempotencyKey: string) =>
			Promise.all(Array.from({ length: 5 }, () => send(key, call as Call, idempotencyKey)));
		const [refunds, notes, chargebacks] = await Promise.all([
			burst(refund, "refund-burst"),
			burst(note, "note-burst"),
			burst(chargeback, "chargeback-burst"),
		]);
		for (const results of [refunds, notes, chargebacks]) {
			expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
			expect(results.every((r) => r.status === 201)).toBe(true);
		}
		const refunded = await api(`/v1/billing/payments/${(refund?.path ?? "").split("/")[4]}`, { key });
		expect(refunded.body.amount_refunded).toBe(500);
		const issued = await api(`/v1/billing/credit-notes?customer_id=${customerId}&limit=100`, { key });
		expect(issued.body.data).toHaveLength(1);
		const opened = await api("/v1/billing/chargebacks?limit=100", { key });
		expect(opened.body.data).toHaveLength(1);
	});

	it.each([
		["allocate a payment's credit", "payments"],
		["move an allocation to another invoice", "payments"],
		["apply a credit note", "credit-notes"],
	])("%s: the answer, made before the commit, is the resource as it is read after", async (name, resource) => {
		const { key } = await newTenant();
		const { id: customerId } = await newCustomer(key);
		const call = await (routes[name] as (world: World) => Promise<Call>)({ key, customerId });
		const answer = await send(key, call, "read-after");
		expect(answer.status, answer.text).toBe(200);
		expect(answer.text).toBe((await api(`/v1/billing/${resource}/${answer.body.id}`, { key })).text);
	});
});
