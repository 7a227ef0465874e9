import { env } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { AccountMemory } from "../../durable-objects/account/memory";
import { accountContext } from "../../durable-objects/account/object";
import { OperationQueue } from "../../durable-objects/account/operationQueue";
import { commitCreateFinalizedInvoice } from "../../durable-objects/account/operations/createFinalizedInvoice";
import { commitFinalizeInvoice } from "../../durable-objects/account/operations/finalizeInvoice";
import { commitRecordPayment } from "../../durable-objects/account/operations/recordPayment";
import { database, rawStatement } from "../../src/db/client";
import { invoiceCreateBody } from "../../src/schemas/invoice";
import { api, newCustomer, newTenant } from "../helpers/api";
import { newInvoice } from "../helpers/invoices";
import { pay } from "../helpers/payments";
import { watchedDatabase } from "../helpers/watchedDatabase";

type Row = { account_code: string; debit: number; credit: number };
type Paid = { id: string; journal_entry_id: string; allocations: { invoice_id: string; amount: number }[] };

const oneLine = (amount: number, due: string) => ({
	finalize: true,
	issue_date: "2026-01-01",
	due_date: due,
	items: [{ description: "Service", unit_price: amount }],
});

/**
 * A new tenant and customer, and calls into their account as its object makes them, sharing one memory
 * and one operation queue the test can look into (`batches`: the statements of each batch handed over).
 */
async function account(customer: Record<string, unknown> = {}) {
	const { key, tenantId } = await newTenant();
	const { id: customerId } = await newCustomer(key, customer);
	const memory = new AccountMemory();
	const { watched, batches } = watchedDatabase();
	const queue = new OperationQueue(watched);
	const context = () =>
		accountContext(env, {
			tenantId,
			customerId,
			actor: { type: "api_key", id: "key_test" },
			requestId: null,
			now: new Date().toISOString(),
			input: null,
		});
	const pay = async (amount: number, paidOn?: string, requestKey: string | null = null) =>
		(await queue.handingOver((turn) =>
			commitRecordPayment(
				context(),
				{
					customer_id: customerId,
					amount,
					currency: "EUR",
					payment_method: "card",
					requestKey,
					...(paidOn ? { paid_at: `${paidOn}T10:00:00Z` } : {}),
				},
				memory,
				turn,
			),
		)) as Paid;
	const issue = () =>
		queue.handingOver((turn) =>
			commitCreateFinalizedInvoice(
				context(),
				{
					input: invoiceCreateBody.parse({
						customer_id: customerId,
						finalize: true,
						issue_date: "2026-01-01",
						items: [{ description: "Service", unit_price: 1000 }],
					}),
					sourceRef: null,
				},
				memory,
				turn,
			),
		);
	const finalize = (invoiceId: string) =>
		queue.exclusive(() => commitFinalizeInvoice(context(), { invoiceId }, memory));
	/** An invoice issued through the API, so through the account's object (not this memory). */
	const invoice = (amount: number, due: string) => newInvoice(key, customerId, oneLine(amount, due));
	/** An invoice another writer issued, past every account object. */
	const issuedOutside = async (amount: number, due: string): Promise<{ id: string }> => {
		const draft = await newInvoice(key, customerId, { ...oneLine(amount, due), finalize: false });
		await env.DB.prepare(
			"update invoices set status = 'issued', number = 'OUT-' || id, version = version + 1 where id = ?",
		)
			.bind(draft.id)
			.run();
		return draft;
	};
	return { key, tenantId, customerId, memory, queue, batches, pay, issue, finalize, invoice, issuedOutside };
}

const cashAccountOf = async (key: string, journalId: string) =>
	(await api(`/v1/billing/journals/${journalId}`, { key })).body.lines.find((l: Row) => l.debit > 0).account_code;

const entryDateOf = async (key: string, journalId: string) =>
	(await api(`/v1/billing/journals/${journalId}`, { key })).body.entry_date;

const allocated = (payment: Paid) => payment.allocations.map((a) => [a.invoice_id, a.amount]);

describe("what an account object remembers between operations", () => {
	it("commits the next payment from memory, then keeps what the commit left", async () => {
		const { key, customerId, memory, pay, invoice } = await account();
		const older = await invoice(3000, "2026-02-01");
		const later = await invoice(5000, "2026-03-01");

		await pay(1000);
		const remembered = memory.state;
		expect(remembered?.open.get("EUR")).toEqual([
			{ id: older.id, dueDate: "2026-02-01", balance: 2000, fxRate: "1" },
			{ id: later.id, dueDate: "2026-03-01", balance: 5000, fxRate: "1" },
		]);
		const second = await pay(2500);
		// The same state object: nothing was read again.
		expect(memory.state).toBe(remembered);
		expect(allocated(second)).toEqual([
			[older.id, 2000],
			[later.id, 500],
		]);
		expect(memory.state?.open.get("EUR")).toEqual([
			{ id: later.id, dueDate: "2026-03-01", balance: 4500, fxRate: "1" },
		]);
		const invoices = await api(`/v1/billing/invoices?customer_id=${customerId}`, { key });
		expect(invoices.body.data.map((i: { id: string; balance: number }) => [i.id, i.balance]).sort()).toEqual(
			[
				[older.id, 0],
				[later.id, 4500],
			].sort(),
		);
	});

	it("reads again when the tenant's chart changed since, and posts to the new account", async () => {
		const { key, memory, pay, invoice } = await account();
		await invoice(9000, "2026-02-01");
		await pay(1000);
		const remembered = memory.state;

		await api("/v1/billing/ledger/accounts", { key, body: { code: "1010", name: "Stripe clearing", type: "asset" } });
		await api("/v1/billing/ledger/mappings", { key, method: "PUT", body: { mappings: { cash: "1010" } } });
		const after = await pay(1000);
		expect(await cashAccountOf(key, after.journal_entry_id)).toBe("1010");
		expect(memory.state).not.toBe(remembered);
		expect(memory.state?.settingsVersion).toBeGreaterThan(remembered?.settingsVersion ?? Number.POSITIVE_INFINITY);
	});

	it("reads again when an invoice was issued or settled outside the object, and pays the oldest first", async () => {
		const { pay, invoice, issuedOutside } = await account();
		const later = await invoice(4000, "2026-03-01");
		await pay(1000);

		// Another writer (not this object) issued an older invoice: the remembered open invoices are stale.
		const older = await issuedOutside(2000, "2026-02-01");
		expect(allocated(await pay(2500))).toEqual([
			[older.id, 2000],
			[later.id, 500],
		]);
	});

	it("rests a payment on the open invoices it reaches: a change past them waits for the payment that reaches it", async () => {
		const { memory, pay, invoice, issuedOutside } = await account();
		const first = await invoice(3000, "2026-02-01");
		const second = await invoice(5000, "2026-03-01");
		await pay(500);
		const remembered = memory.state;

		// Another writer issues an invoice due after both: a payment that stays within the first is not affected.
		const later = await issuedOutside(4000, "2026-04-01");
		expect(allocated(await pay(1000))).toEqual([[first.id, 1000]]);
		expect(memory.state).toBe(remembered);

		// One that would leave money unapplied rests on there being no other open invoice: it reads again.
		expect(allocated(await pay(20_000))).toEqual([
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
		const { key, customerId, memory, issue } = await account({ payment_terms: "net30" });
		expect((await issue()).due_date).toBe("2026-01-31");
		const remembered = memory.state;
		await issue();
		expect(memory.state).toBe(remembered);

		await api(`/v1/billing/customers/${customerId}`, { key, method: "PATCH", body: { payment_terms: "net60" } });
		expect((await issue()).due_date).toBe("2026-03-02");
		expect(memory.state).not.toBe(remembered);
	});

	it("reads again when the number format changed, and numbers in the new one", async () => {
		const { key, invoice } = await account();
		await invoice(1000, "2026-02-01");
		await api("/v1/billing/settings", { key, method: "PATCH", body: { invoice_number_format: "ACME/{YYYY}/{NNNNN}" } });
		expect((await invoice(1000, "2026-02-01")).number).toMatch(/^ACME\/\d{4}\/\d{5}$/);
	});

	it("issues a draft from memory, numbered in the series between a payment and a new invoice", async () => {
		const { key, customerId, memory, pay, issue, finalize } = await account();
		const first = await issue();
		await pay(300);
		const draft = await newInvoice(key, customerId, {
			issue_date: "2026-01-01",
			items: [{ description: "Draft", unit_price: 2000 }],
		});
		const remembered = memory.state;
		const finalized = await finalize(draft.id);
		expect(memory.state).toBe(remembered);
		const next = await issue();
		const sequence = (invoice: { number: string | null }) => Number(invoice.number?.match(/(\d+)$/)?.[1]);
		expect([sequence(first), sequence(finalized), sequence(next)]).toEqual([1, 2, 3]);
		expect(finalized).toMatchObject({ status: "issued", balance: 2000 });
		// The next payment reads the open invoices again: the issued draft is among them.
		const paid = await pay(3700);
		const ids = [first, finalized, next].map((invoice) => invoice.id as string);
		expect(paid.allocations.map((a) => a.invoice_id).sort()).toEqual(ids.sort());
		await expectBooks(key, customerId, Object.fromEntries(ids.map((id) => [id, 0])), 2);
	});

	it("issues a draft in the number format set since it was remembered", async () => {
		const { key, customerId, memory, issue, finalize } = await account();
		await issue();
		const remembered = memory.state;
		await api("/v1/billing/settings", { key, method: "PATCH", body: { invoice_number_format: "ACME/{YYYY}/{NNNNN}" } });
		const draft = await newInvoice(key, customerId, { items: [{ description: "Draft", unit_price: 2000 }] });
		expect((await finalize(draft.id)).number).toMatch(/^ACME\/\d{4}\/\d{5}$/);
		expect(memory.state).not.toBe(remembered);
	});

	it("answers a replayed key and a retried payment from what was recorded, memory or not", async () => {
		const { key, customerId, invoice } = await account();
		await invoice(9000, "2026-02-01");
		await pay(key, { customer_id: customerId, amount: 100 });
		const body = {
			customer_id: customerId,
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
		const payments = await api(`/v1/billing/payments?customer_id=${customerId}`, { key });
		expect(payments.body.data.filter((p: { reference: string }) => p.reference === "wire-7")).toHaveLength(1);
	});

	it("moves a payment out of a period closed since, as it does without memory", async () => {
		const { key, pay, invoice } = await account();
		await invoice(9000, "2026-02-01");
		const before = await pay(1000, "2026-01-10");
		expect(await entryDateOf(key, before.journal_entry_id)).toBe("2026-01-10");
		const close = await api("/v1/billing/ledger/periods/close", { key, body: { through: "2026-01-31" } });
		expect(close.status).toBe(200);
		const after = await pay(1000, "2026-01-15");
		expect(await entryDateOf(key, after.journal_entry_id)).toBe("2026-02-01");
	});
});

/** The books as a test expects them: each invoice's balance, how many payments, a trial balance of zero. */
async function expectBooks(key: string, customerId: string, balances: Record<string, number>, payments: number) {
	const invoices = await api(`/v1/billing/invoices?customer_id=${customerId}`, { key });
	expect(new Map(invoices.body.data.map((i: { id: string; balance: number }) => [i.id, i.balance]))).toEqual(
		new Map(Object.entries(balances)),
	);
	const recorded = await api(`/v1/billing/payments?customer_id=${customerId}&limit=100`, { key });
	expect(recorded.body.data).toHaveLength(payments);
	const ledger = await api("/v1/billing/ledger/balances", { key });
	for (const total of ledger.body.totals) expect(total.debit).toBe(total.credit);
}

describe("payments and invoices handed over together", () => {
	it("commits payments prepared while a batch is in flight in one batch, each allocated as if it came alone", async () => {
		const { key, customerId, memory, batches, pay, invoice } = await account();
		const older = await invoice(3000, "2026-02-01");
		const later = await invoice(5000, "2026-03-01");
		await pay(100);
		const remembered = memory.state;
		batches.length = 0;

		const paid = await Promise.all([1000, 1000, 1000, 1000, 1000].map((amount) => pay(amount)));
		expect(paid.map(allocated)).toEqual([
			[[older.id, 1000]],
			[[older.id, 1000]],
			[
				[older.id, 900],
				[later.id, 100],
			],
			[[later.id, 1000]],
			[[later.id, 1000]],
		]);
		expect(batches.length).toBeLessThan(paid.length);
		expect(memory.state).toBe(remembered);
		await expectBooks(key, customerId, { [older.id]: 0, [later.id]: 2900 }, 6);
	});

	it("runs each payment of a refused group again alone, reading afresh, and commits each once", async () => {
		const { key, customerId, memory, batches, pay, invoice, issuedOutside } = await account();
		const later = await invoice(5000, "2026-03-01");
		await pay(100);
		const remembered = memory.state;
		// Another writer issued an older invoice: every payment prepared from memory now rests on a stale state.
		const older = await issuedOutside(2000, "2026-02-01");
		batches.length = 0;

		const paid = await Promise.all([500, 500, 500, 500, 500].map((amount) => pay(amount)));
		expect(batches.length).toBeGreaterThanOrEqual(1);
		expect(new Set(paid.map((payment) => payment.id)).size).toBe(5);
		const paidTo = (id: string) =>
			paid.flatMap((payment) => payment.allocations).reduce((sum, a) => sum + (a.invoice_id === id ? a.amount : 0), 0);
		expect([paidTo(older.id), paidTo(later.id)]).toEqual([2000, 500]);
		expect(memory.state).not.toBe(remembered);
		await expectBooks(key, customerId, { [older.id]: 0, [later.id]: 4400 }, 6);
	});

	it("commits the payments of a group another operation got refused, each run again alone", async () => {
		const { key, customerId, queue, batches, pay, invoice } = await account();
		const open = await invoice(5000, "2026-03-01");
		await pay(100);
		batches.length = 0;

		// An operation whose own statement breaks a constraint, handed over between the payments.
		await env.DB.exec("create table if not exists refusal_probe (n integer check (n > 0))");
		const refusedOne = () =>
			queue.handingOver((turn) =>
				turn.commit([rawStatement(database(env.DB), sql`insert into refusal_probe (n) values (-1)`)]),
			);
		const [first, second, refusal, third] = await Promise.allSettled([pay(100), pay(500), refusedOne(), pay(700)]);
		expect(batches.length).toBeGreaterThanOrEqual(2);
		expect([first.status, second.status, refusal.status, third.status]).toEqual([
			"fulfilled",
			"fulfilled",
			"rejected",
			"fulfilled",
		]);
		await expectBooks(key, customerId, { [open.id]: 3600 }, 4);
	});

	it("issues invoices prepared while a batch is in flight together, numbered one after another, with payments between them", async () => {
		const { key, customerId, memory, batches, pay, issue } = await account();
		await issue();
		await pay(100);
		await issue();
		batches.length = 0;

		const [a, payment, b, c, d] = await Promise.all([issue(), pay(500), issue(), issue(), issue()]);
		const issued = [a, b, c, d] as { id: string; number: string }[];
		expect(batches.length).toBeLessThan(5);
		const numbers = issued.map((invoice) => Number(invoice.number.replace(/\D/g, "")));
		expect(new Set(numbers).size).toBe(4);
		expect(Math.max(...numbers) - Math.min(...numbers)).toBe(3);
		expect((payment as Paid).allocations.length).toBeGreaterThan(0);
		// Each invoice's answer names the number the database gave it.
		for (const invoice of issued) {
			expect((await api(`/v1/billing/invoices/${invoice.id}`, { key })).body.number).toBe(invoice.number);
		}
		expect(memory.state).toBeDefined();
		const listed = await api(`/v1/billing/invoices?customer_id=${customerId}&limit=100`, { key });
		expect(listed.body.data).toHaveLength(6);
		const ledger = await api("/v1/billing/ledger/balances", { key });
		for (const total of ledger.body.totals) expect(total.debit).toBe(total.credit);
	});

	it("records a payment retried within one group once, and answers both requests with it", async () => {
		const { key, customerId, pay, invoice } = await account();
		const open = await invoice(5000, "2026-03-01");
		await pay(100);

		const [, retried, again] = await Promise.all([
			pay(100),
			pay(700, undefined, "request-7"),
			pay(700, undefined, "request-7"),
		]);
		expect(again.id).toBe(retried.id);
		await expectBooks(key, customerId, { [open.id]: 4100 }, 3);
	});
});
