import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { invoiceCreateBody } from "../../src/schemas/invoice";
import { accountContext } from "../../src/services/accounts/accountClient";
import { AccountMemory } from "../../src/services/accounts/accountState";
import { commitCreateFinalizedInvoice } from "../../src/services/invoices/createInvoice";
import { commitRecordPayment } from "../../src/services/payments/recordPayment";
import { api, newCustomer, newTenant } from "../helpers/api";
import { newInvoice } from "../helpers/invoices";
import { pay } from "../helpers/payments";

type Row = { account_code: string; debit: number; credit: number };

const oneLine = (amount: number, due: string) => ({
	finalize: true,
	issue_date: "2026-01-01",
	due_date: due,
	items: [{ description: "Service", unit_price: amount }],
});

/** An account operation's context and input, as the account object makes them for a request. */
function inObject(tenantId: string, customerId: string) {
	const context = () =>
		accountContext(env, {
			tenantId,
			customerId,
			actor: { type: "api_key", id: "key_test" },
			requestId: null,
			now: new Date().toISOString(),
			input: null,
		});
	const payment = (amount: number) => ({
		customer_id: customerId,
		amount,
		currency: "EUR",
		payment_method: "card" as const,
		requestKey: null,
	});
	return { context, payment };
}

const paid = (answered: unknown) => {
	if (typeof answered !== "object" || answered === null || !("value" in answered)) throw new Error("key taken");
	return answered.value as {
		id: string;
		journal_entry_id: string;
		allocations: { invoice_id: string; amount: number }[];
	};
};

const cashAccountOf = async (key: string, journalId: string) =>
	(await api(`/v1/billing/journals/${journalId}`, { key })).body.lines.find((l: Row) => l.debit > 0).account_code;

describe("what an account object remembers between operations", () => {
	it("commits the next payment from memory, then keeps what the commit left", async () => {
		const { key, tenantId } = await newTenant();
		const customer = await newCustomer(key);
		const older = await newInvoice(key, customer.id, oneLine(3000, "2026-02-01"));
		const later = await newInvoice(key, customer.id, oneLine(5000, "2026-03-01"));
		const { context, payment } = inObject(tenantId, customer.id);
		const memory = new AccountMemory();

		paid(await commitRecordPayment(context(), payment(1000), memory));
		const remembered = memory.state;
		expect(remembered?.open.get("EUR")).toEqual([
			{ id: older.id, dueDate: "2026-02-01", balance: 2000, fxRate: "1" },
			{ id: later.id, dueDate: "2026-03-01", balance: 5000, fxRate: "1" },
		]);
		const second = paid(await commitRecordPayment(context(), payment(2500), memory));
		// The same state object: nothing was read again.
		expect(memory.state).toBe(remembered);
		expect(second.allocations.map((a) => [a.invoice_id, a.amount])).toEqual([
			[older.id, 2000],
			[later.id, 500],
		]);
		expect(memory.state?.open.get("EUR")).toEqual([
			{ id: later.id, dueDate: "2026-03-01", balance: 4500, fxRate: "1" },
		]);
		const invoices = await api(`/v1/billing/invoices?customer_id=${customer.id}`, { key });
		expect(invoices.body.data.map((i: { id: string; balance: number }) => [i.id, i.balance]).sort()).toEqual(
			[
				[older.id, 0],
				[later.id, 4500],
			].sort(),
		);
	});

	it("reads again when the tenant's chart changed since, and posts to the new account", async () => {
		const { key, tenantId } = await newTenant();
		const customer = await newCustomer(key);
		await newInvoice(key, customer.id, oneLine(9000, "2026-02-01"));
		const { context, payment } = inObject(tenantId, customer.id);
		const memory = new AccountMemory();
		paid(await commitRecordPayment(context(), payment(1000), memory));
		const remembered = memory.state;

		await api("/v1/billing/ledger/accounts", { key, body: { code: "1010", name: "Stripe clearing", type: "asset" } });
		await api("/v1/billing/ledger/mappings", { key, method: "PUT", body: { mappings: { cash: "1010" } } });
		const after = paid(await commitRecordPayment(context(), payment(1000), memory));
		expect(await cashAccountOf(key, after.journal_entry_id)).toBe("1010");
		expect(memory.state).not.toBe(remembered);
		expect(memory.state?.settingsVersion).toBeGreaterThan(remembered?.settingsVersion ?? Number.POSITIVE_INFINITY);
	});

	it("reads again when an invoice was issued or settled outside the object, and pays the oldest first", async () => {
		const { key, tenantId } = await newTenant();
		const customer = await newCustomer(key);
		const later = await newInvoice(key, customer.id, oneLine(4000, "2026-03-01"));
		const { context, payment } = inObject(tenantId, customer.id);
		const memory = new AccountMemory();
		paid(await commitRecordPayment(context(), payment(1000), memory));

		// Another writer (not this object) issued an older invoice: the remembered open invoices are stale.
		const older = await newInvoice(key, customer.id, { ...oneLine(2000, "2026-02-01"), finalize: false });
		await env.DB.prepare(
			"update invoices set status = 'issued', number = 'OUTSIDE-1', version = version + 1 where id = ?",
		)
			.bind(older.id)
			.run();
		const next = paid(await commitRecordPayment(context(), payment(2500), memory));
		expect(next.allocations.map((a) => [a.invoice_id, a.amount])).toEqual([
			[older.id, 2000],
			[later.id, 500],
		]);
	});

	it("rests a payment on the open invoices it reaches: a change past them waits for the payment that reaches it", async () => {
		const { key, tenantId } = await newTenant();
		const customer = await newCustomer(key);
		const first = await newInvoice(key, customer.id, oneLine(3000, "2026-02-01"));
		const second = await newInvoice(key, customer.id, oneLine(5000, "2026-03-01"));
		const { context, payment } = inObject(tenantId, customer.id);
		const memory = new AccountMemory();
		paid(await commitRecordPayment(context(), payment(500), memory));
		const remembered = memory.state;

		// Another writer issues an invoice due after both: a payment that stays within the first is not affected.
		const later = await newInvoice(key, customer.id, { ...oneLine(4000, "2026-04-01"), finalize: false });
		await env.DB.prepare(
			"update invoices set status = 'issued', number = 'OUTSIDE-2', version = version + 1 where id = ?",
		)
			.bind(later.id)
			.run();
		const within = paid(await commitRecordPayment(context(), payment(1000), memory));
		expect(within.allocations.map((a) => a.invoice_id)).toEqual([first.id]);
		expect(memory.state).toBe(remembered);

		// One that would leave money unapplied rests on there being no other open invoice: it reads again.
		const beyond = paid(await commitRecordPayment(context(), payment(20_000), memory));
		expect(beyond.allocations.map((a) => [a.invoice_id, a.amount])).toEqual([
			[first.id, 1500],
			[second.id, 5000],
			[later.id, 4000],
		]);
		expect(memory.state).not.toBe(remembered);
		expect(memory.state?.open.get("EUR")).toEqual([]);
	});

	it("checks the invoices a payment reaches from the open-invoices index alone", async () => {
		const plan = await env.DB.prepare(
			`explain query plan select count(*) || '/' || coalesce(sum(balance), 0) from invoices
			where tenant_id = ?1 and customer_id = ?2 and currency = ?3 and status in ('issued', 'partially_paid')
			and balance > 0 and coalesce(due_date, '9999-12-31') <= ?4
			and (coalesce(due_date, '9999-12-31') < ?4 or id <= ?5)`,
		)
			.bind("ten_x", "cus_x", "EUR", "2026-03-01", "inv_x")
			.all<{ detail: string }>();
		expect(plan.results.map((row) => row.detail).join("; ")).toContain(
			"USING COVERING INDEX invoices_open_by_customer",
		);
	});

	it("reads again when the customer changed since, and invoices on the new terms", async () => {
		const { key, tenantId } = await newTenant();
		const customer = await newCustomer(key, { payment_terms: "net30" });
		const { context } = inObject(tenantId, customer.id);
		const memory = new AccountMemory();
		const create = async () =>
			paid(
				await commitCreateFinalizedInvoice(
					context(),
					{
						input: invoiceCreateBody.parse({
							customer_id: customer.id,
							finalize: true,
							issue_date: "2026-01-01",
							items: [{ description: "Service", unit_price: 1000 }],
						}),
						sourceRef: null,
					},
					memory,
				),
			) as unknown as { due_date: string };
		expect((await create()).due_date).toBe("2026-01-31");
		const remembered = memory.state;
		await create();
		expect(memory.state).toBe(remembered);

		await api(`/v1/billing/customers/${customer.id}`, { key, method: "PATCH", body: { payment_terms: "net60" } });
		expect((await create()).due_date).toBe("2026-03-02");
		expect(memory.state).not.toBe(remembered);
	});

	it("reads again when the number format changed, and numbers in the new one", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		await newInvoice(key, customer.id, oneLine(1000, "2026-02-01"));
		await api("/v1/billing/settings", { key, method: "PATCH", body: { invoice_number_format: "ACME/{YYYY}/{NNNNN}" } });
		const next = await newInvoice(key, customer.id, oneLine(1000, "2026-02-01"));
		expect(next.number).toMatch(/^ACME\/\d{4}\/\d{5}$/);
	});

	it("answers a replayed key and a retried payment from what was recorded, memory or not", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		await newInvoice(key, customer.id, oneLine(9000, "2026-02-01"));
		await pay(key, { customer_id: customer.id, amount: 100 });
		const body = {
			customer_id: customer.id,
			amount: 700,
			currency: "EUR",
			payment_method: "bank_transfer",
			reference: "wire-7",
		};
		const first = await api("/v1/billing/payments", { key, body, headers: { "Idempotency-Key": "pay-7" } });
		const again = await api("/v1/billing/payments", { key, body, headers: { "Idempotency-Key": "pay-7" } });
		expect(first.status).toBe(201);
		expect(again.status).toBe(201);
		expect(again.body).toEqual(first.body);
		const payments = await api(`/v1/billing/payments?customer_id=${customer.id}`, { key });
		expect(payments.body.data.filter((p: { reference: string }) => p.reference === "wire-7")).toHaveLength(1);
	});

	it("moves a payment out of a period closed since, as it does without memory", async () => {
		const { key, tenantId } = await newTenant();
		const customer = await newCustomer(key);
		await newInvoice(key, customer.id, oneLine(9000, "2026-02-01"));
		const { context, payment } = inObject(tenantId, customer.id);
		const memory = new AccountMemory();
		const paidOn = async (day: string) =>
			paid(await commitRecordPayment(context(), { ...payment(1000), paid_at: `${day}T10:00:00Z` }, memory));
		const before = await paidOn("2026-01-10");
		expect((await api(`/v1/billing/journals/${before.journal_entry_id}`, { key })).body.entry_date).toBe("2026-01-10");
		const close = await api("/v1/billing/ledger/periods/close", { key, body: { through: "2026-01-31" } });
		expect(close.status).toBe(200);
		const after = await paidOn("2026-01-15");
		expect((await api(`/v1/billing/journals/${after.journal_entry_id}`, { key })).body.entry_date).toBe("2026-02-01");
	});
});
