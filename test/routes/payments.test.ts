import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { accountStub } from "../../durable-objects/account/client";
import type { AccountDO } from "../../durable-objects/account/object";
import { api, expectProblem, newCustomer, newTenant } from "../helpers/api";
import { newInvoice } from "../helpers/invoices";
import { balanceOf, pay } from "../helpers/payments";

const oneLine = (amount: number, extra: Record<string, unknown> = {}) => ({
	finalize: true,
	items: [{ description: "Service", unit_price: amount }],
	...extra,
});

async function trialBalanceIsZero(key: string) {
	const balances = await api("/v1/billing/ledger/balances", { key });
	for (const total of balances.body.totals) expect(total.debit).toBe(total.credit);
	return balances.body.accounts as { account_code: string; balance: number }[];
}

describe("recording payments", () => {
	it("applies oldest-due first, keeps the excess as credit, and posts the receipt", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const later = await newInvoice(
			key,
			customer.id,
			oneLine(3000, { issue_date: "2026-02-01", due_date: "2026-03-01" }),
		);
		const older = await newInvoice(
			key,
			customer.id,
			oneLine(2000, { issue_date: "2026-01-01", due_date: "2026-02-01" }),
		);
		const payment = await pay(key, { customer_id: customer.id, amount: 6000, reference: "SEPA-1" });
		expect(payment).toMatchObject({ amount: 6000, amount_allocated: 5000, unapplied: 1000, display_amount: "60.00" });
		expect(payment.allocations.map((a: { invoice_id: string; amount: number }) => [a.invoice_id, a.amount])).toEqual([
			[older.id, 2000],
			[later.id, 3000],
		]);
		const paid = await api(`/v1/billing/invoices/${later.id}`, { key });
		expect(paid.body).toMatchObject({ status: "paid", amount_paid: 3000, balance: 0 });
		expect(paid.body.payments).toEqual([{ payment_id: payment.id, amount: 3000, applied_at: expect.any(String) }]);
		const listed = await api(`/v1/billing/invoices?customer_id=${customer.id}`, { key });
		expect(listed.body.data.find((i: { id: string }) => i.id === older.id).payments[0].amount).toBe(2000);
		expect(paid.body.paid_at).not.toBeNull();
		expect(await balanceOf(key, customer.id)).toMatchObject({ outstanding: 0, credit: 1000, net: -1000 });
		const accounts = await trialBalanceIsZero(key);
		expect(accounts.find((a) => a.account_code === "1100")?.balance).toBe(0);
		expect(accounts.find((a) => a.account_code === "2100")?.balance).toBe(-1000);
		expect(accounts.find((a) => a.account_code === "1000")?.balance).toBe(6000);
	});

	it("reaches only the invoices the amount covers, in due order", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const dated: { id: string }[] = [];
		for (const [due, amount] of [
			["2026-04-01", 700],
			["2026-03-01", 3000],
			["2026-01-15", 1000],
			["2026-02-01", 2000],
		] as const) {
			dated.push(await newInvoice(key, customer.id, oneLine(amount, { issue_date: "2026-01-01", due_date: due })));
		}
		const [april, march, january, february] = dated as [{ id: string }, { id: string }, { id: string }, { id: string }];
		const pairs = (payment: { allocations: { invoice_id: string; amount: number }[] }) =>
			payment.allocations.map((a) => [a.invoice_id, a.amount]);
		// Exactly January's balance: February, owed after it, is not touched.
		expect(pairs(await pay(key, { customer_id: customer.id, amount: 1000 }))).toEqual([[january.id, 1000]]);
		// One more than February's balance: a unit reaches March.
		expect(pairs(await pay(key, { customer_id: customer.id, amount: 2001 }))).toEqual([
			[february.id, 2000],
			[march.id, 1],
		]);
		const rest = await pay(key, { customer_id: customer.id, amount: 5000 });
		expect(pairs(rest)).toEqual([
			[march.id, 2999],
			[april.id, 700],
		]);
		expect(rest.unapplied).toBe(1301);
	});

	it("applies to a named invoice and partially pays it", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const first = await newInvoice(key, customer.id, oneLine(5000));
		const second = await newInvoice(key, customer.id, oneLine(5000));
		const payment = await pay(key, { customer_id: customer.id, invoice_id: second.id, amount: 2000 });
		expect(payment.allocations).toEqual([expect.objectContaining({ invoice_id: second.id, amount: 2000 })]);
		expect((await api(`/v1/billing/invoices/${second.id}`, { key })).body).toMatchObject({
			status: "partially_paid",
			balance: 3000,
		});
		expect((await api(`/v1/billing/invoices/${first.id}`, { key })).body).toMatchObject({
			status: "issued",
			balance: 5000,
		});
		// Something was paid: the invoice can no longer be voided.
		expectProblem(await api(`/v1/billing/invoices/${second.id}/void`, { key, method: "POST" }), 409, "invalid_state");
	});

	it("rejects what it cannot apply, naming the field, and changes nothing", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const other = await newCustomer(key);
		const invoice = await newInvoice(key, customer.id, oneLine(5000));
		const voided = await newInvoice(key, customer.id, oneLine(5000));
		await api(`/v1/billing/invoices/${voided.id}/void`, { key, method: "POST" });
		const base = { currency: "EUR", payment_method: "card" };
		const cases: [Record<string, unknown>, number, string, string?][] = [
			[
				{ customer_id: customer.id, invoice_id: invoice.id, amount: 100, currency: "USD", payment_method: "card" },
				422,
				"validation_failed",
				"invoice_id",
			],
			[{ ...base, customer_id: other.id, invoice_id: invoice.id, amount: 100 }, 422, "validation_failed", "invoice_id"],
			[{ ...base, customer_id: customer.id, invoice_id: voided.id, amount: 100 }, 409, "invalid_state"],
			[{ ...base, customer_id: customer.id, amount: 0 }, 422, "validation_failed", "amount"],
			[{ ...base, customer_id: customer.id, amount: 10.5 }, 422, "validation_failed", "amount"],
			[
				{ ...base, customer_id: customer.id, amount: 100, payment_method: "bitcoin" },
				422,
				"validation_failed",
				"payment_method",
			],
			[
				{ ...base, customer_id: "cus_01JD3Q8W5Z9K2M4N6P8R0T2V4X", amount: 100 },
				422,
				"validation_failed",
				"customer_id",
			],
		];
		for (const [body, status, code, field] of cases) {
			const problem = expectProblem(await api("/v1/billing/payments", { key, body }), status, code);
			if (field) expect(problem.errors.map((e: { field: string }) => e.field)).toContain(field);
		}
		expect((await api("/v1/billing/payments", { key })).body.data).toHaveLength(0);
		expect((await api(`/v1/billing/invoices/${invoice.id}`, { key })).body.balance).toBe(5000);
	});

	it("lists with filters and hides other tenants' payments", async () => {
		const { key } = await newTenant();
		const other = await newTenant();
		const customer = await newCustomer(key);
		const invoice = await newInvoice(key, customer.id, oneLine(5000));
		const card = await pay(key, {
			customer_id: customer.id,
			invoice_id: invoice.id,
			amount: 100,
			payment_method: "card",
		});
		await pay(key, { customer_id: customer.id, amount: 100, payment_method: "cash", paid_at: "2025-01-01T10:00:00Z" });
		expect(
			(await api("/v1/billing/payments?payment_method=card", { key })).body.data.map((p: { id: string }) => p.id),
		).toEqual([card.id]);
		expect((await api(`/v1/billing/payments?invoice_id=${invoice.id}`, { key })).body.data).toHaveLength(2);
		expect((await api("/v1/billing/payments?from=2025-01-01&to=2025-01-01", { key })).body.data).toHaveLength(1);
		expectProblem(await api(`/v1/billing/payments/${card.id}`, { key: other.key }), 404, "not_found");
		expectProblem(
			await api(`/v1/billing/payments/${card.id}/refund`, { key: other.key, body: { amount: 1 } }),
			404,
			"not_found",
		);
	});
});

describe("allocation and refunds", () => {
	it("allocates credit later, unallocates, and never over-allocates", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const payment = await pay(key, { customer_id: customer.id, amount: 5000 });
		expect(payment.unapplied).toBe(5000);
		const a = await newInvoice(key, customer.id, oneLine(3000));
		const b = await newInvoice(key, customer.id, oneLine(4000));
		const too = await api(`/v1/billing/payments/${payment.id}/allocate`, {
			key,
			body: {
				allocate: [
					{ invoice_id: a.id, amount: 3000 },
					{ invoice_id: b.id, amount: 2001 },
				],
			},
		});
		expectProblem(too, 409, "conflict");
		const overInvoice = await api(`/v1/billing/payments/${payment.id}/allocate`, {
			key,
			body: { allocate: [{ invoice_id: a.id, amount: 3001 }] },
		});
		expect(expectProblem(overInvoice, 422, "validation_failed").errors[0].field).toBe("allocate.0.amount");
		const ok = await api(`/v1/billing/payments/${payment.id}/allocate`, {
			key,
			body: {
				allocate: [
					{ invoice_id: a.id, amount: 3000 },
					{ invoice_id: b.id, amount: 2000 },
				],
			},
		});
		expect(ok.status).toBe(200);
		expect(ok.body).toMatchObject({ amount_allocated: 5000, unapplied: 0 });
		const moved = await api(`/v1/billing/payments/${payment.id}/allocate`, {
			key,
			body: { unallocate: [{ invoice_id: a.id, amount: 1000 }], allocate: [{ invoice_id: b.id, amount: 1000 }] },
		});
		expect(
			moved.body.allocations.map((x: { invoice_id: string; amount: number }) => [x.invoice_id, x.amount]).sort(),
		).toEqual(
			[
				[a.id, 2000],
				[b.id, 3000],
			].sort(),
		);
		expect((await api(`/v1/billing/invoices/${a.id}`, { key })).body).toMatchObject({
			status: "partially_paid",
			balance: 1000,
		});
		const badUnallocate = await api(`/v1/billing/payments/${payment.id}/allocate`, {
			key,
			body: { unallocate: [{ invoice_id: a.id, amount: 2001 }] },
		});
		expect(expectProblem(badUnallocate, 422, "validation_failed").errors[0].field).toBe("unallocate.0.amount");
		await trialBalanceIsZero(key);
	});

	it("refunds from credit first, then reopens invoices, never more than refundable", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const invoice = await newInvoice(key, customer.id, oneLine(4000));
		const payment = await pay(key, { customer_id: customer.id, amount: 5000 });
		const refund = await api(`/v1/billing/payments/${payment.id}/refund`, {
			key,
			body: { amount: 1500, reason: "Overpaid" },
		});
		expect(refund.status).toBe(201);
		expect(refund.body).toMatchObject({ amount: 1500, from_credit: 1000, from_invoices: 500 });
		expect((await api(`/v1/billing/invoices/${invoice.id}`, { key })).body).toMatchObject({
			status: "partially_paid",
			balance: 500,
		});
		const tooMuch = await api("/v1/billing/refunds", { key, body: { payment_id: payment.id, amount: 3501 } });
		expect(expectProblem(tooMuch, 409, "conflict").errors[0].field).toBe("amount");
		const rest = await api("/v1/billing/refunds", { key, body: { payment_id: payment.id } });
		expect(rest.body).toMatchObject({ amount: 3500, from_credit: 0, from_invoices: 3500 });
		expect((await api(`/v1/billing/invoices/${invoice.id}`, { key })).body).toMatchObject({
			status: "issued",
			balance: 4000,
			amount_paid: 0,
		});
		expect((await api(`/v1/billing/refunds/${refund.body.id}`, { key })).body.id).toBe(refund.body.id);
		expect((await api(`/v1/billing/refunds?payment_id=${payment.id}`, { key })).body.data).toHaveLength(2);
		expectProblem(
			await api(`/v1/billing/payments/${payment.id}/refund`, { key, body: { amount: 1 } }),
			409,
			"conflict",
		);
		const accounts = await trialBalanceIsZero(key);
		expect(accounts.find((a) => a.account_code === "1100")?.balance).toBe(4000);
		expect(accounts.find((a) => a.account_code === "1000")?.balance).toBe(0);
	});
});

describe("the account object under pressure", () => {
	it("200 concurrent payments and allocations on one account never over-apply", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const invoices: { id: string }[] = [];
		for (let i = 0; i < 5; i++) invoices.push(await newInvoice(key, customer.id, oneLine(10000)));
		const [oldest, next] = invoices as [{ id: string }, { id: string }];
		const credit = await pay(key, { customer_id: customer.id, amount: 1 }); // takes 1 from the oldest invoice
		const requests = Array.from({ length: 200 }, (_, i) =>
			i % 4 === 0
				? api(`/v1/billing/payments/${credit.id}/allocate`, {
						key,
						body: {
							unallocate: [{ invoice_id: oldest.id, amount: 1 }],
							allocate: [{ invoice_id: next.id, amount: 1 }],
						},
					})
				: api("/v1/billing/payments", {
						key,
						body: { customer_id: customer.id, amount: 337, currency: "EUR", payment_method: "card" },
					}),
		);
		const results = await Promise.all(requests);
		expect(results.every((r) => r.status === 200 || r.status === 201 || r.status === 422 || r.status === 409)).toBe(
			true,
		);
		const payments = results.filter((r) => r.status === 201).length;
		expect(payments).toBe(150);
		const received = 150 * 337 + 1;
		const listed = await api(`/v1/billing/invoices?customer_id=${customer.id}&limit=100`, { key });
		const owed = listed.body.data.reduce((s: number, i: { balance: number }) => s + i.balance, 0);
		const paid = listed.body.data.reduce((s: number, i: { amount_paid: number }) => s + i.amount_paid, 0);
		for (const i of listed.body.data) expect(i.balance).toBeGreaterThanOrEqual(0);
		const balance = await balanceOf(key, customer.id);
		expect(paid + balance.credit).toBe(received);
		expect(balance.outstanding).toBe(owed);
		expect(owed).toBe(Math.max(0, 50000 - received));
		await trialBalanceIsZero(key);
	});

	it("one Idempotency-Key records one payment, even when retried concurrently", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const body = { customer_id: customer.id, amount: 700, currency: "EUR", payment_method: "card" };
		const headers = { "Idempotency-Key": "pay-once-123" };
		const results = await Promise.all(
			Array.from({ length: 5 }, () => api("/v1/billing/payments", { key, body, headers })),
		);
		const created = results.filter((r) => r.status === 201);
		expect(created.length).toBeGreaterThanOrEqual(1);
		expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
		expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
		const replay = await api("/v1/billing/payments", { key, body, headers });
		expect(replay.status).toBe(201);
		expect(replay.headers.get("idempotent-replayed")).toBe("true");
		expect((await api("/v1/billing/payments", { key })).body.data).toHaveLength(1);
	});

	it("a payment whose response was lost is not recorded twice when retried after the key expired", async () => {
		const { key, tenantId } = await newTenant();
		const customer = await newCustomer(key);
		const body = { customer_id: customer.id, amount: 700, currency: "EUR", payment_method: "card" };
		const first = await api("/v1/billing/payments", { key, body, headers: { "Idempotency-Key": "lost-response" } });
		// The stored response is gone (as if the request died after committing): only the payment row remembers.
		await env.DB.prepare("delete from idempotency_keys where tenant_id = ?").bind(tenantId).run();
		const retry = await api("/v1/billing/payments", { key, body, headers: { "Idempotency-Key": "lost-response" } });
		expect(retry.body.id).toBe(first.body.id);
		expect((await api("/v1/billing/payments", { key })).body.data).toHaveLength(1);
	});

	it("a crash inside the object before or during the write leaves nothing behind", async () => {
		const { key, tenantId } = await newTenant();
		const customer = await newCustomer(key);
		const invoice = await newInvoice(key, customer.id, oneLine(5000));
		const stub = accountStub(env, tenantId, customer.id);
		const request = (amount: number) => ({
			tenantId,
			customerId: customer.id,
			actor: { type: "api_key" as const, id: "key_test" },
			requestId: null,
			now: new Date().toISOString(),
			input: { customer_id: customer.id, amount, currency: "EUR", payment_method: "card" as const, requestKey: null },
		});
		await runInDurableObject(stub, async (object) => {
			const instance = object as unknown as AccountDO;
			const realDb = (instance as unknown as { env: typeof env }).env.DB;
			const crashBefore = {
				...env,
				DB: new Proxy(realDb, {
					get: (t, p) =>
						p === "batch"
							? () => Promise.reject(new Error("crash before write"))
							: (Reflect.get(t, p).bind?.(t) ?? Reflect.get(t, p)),
				}),
			};
			const crashDuring = {
				...env,
				DB: new Proxy(realDb, {
					get: (t, p) =>
						p === "batch"
							? (statements: D1PreparedStatement[]) =>
									t.batch([...statements, t.prepare("insert into tenants (id) values (null)")])
							: (Reflect.get(t, p).bind?.(t) ?? Reflect.get(t, p)),
				}),
			};
			for (const broken of [crashBefore, crashDuring]) {
				(instance as unknown as { env: typeof env }).env = broken as typeof env;
				await expect(instance.recordPayment(request(2000))).rejects.toThrow();
			}
			(instance as unknown as { env: typeof env }).env = { ...env, DB: realDb };
			const result = await instance.recordPayment(request(1000));
			expect(result.ok).toBe(true);
		});
		expect((await api("/v1/billing/payments", { key })).body.data).toHaveLength(1);
		expect((await api(`/v1/billing/invoices/${invoice.id}`, { key })).body).toMatchObject({
			balance: 4000,
			amount_paid: 1000,
		});
		const journals = await api("/v1/billing/journals?source_type=payment", { key });
		expect(journals.body.data).toHaveLength(1);
		await trialBalanceIsZero(key);
	});
});

describe("deleting a customer with billing history", () => {
	it("is refused while money is owed, and a hard delete keeps the history", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const invoice = await newInvoice(key, customer.id, {
			finalize: true,
			items: [{ description: "x", unit_price: 500 }],
		});
		const owed = await api(`/v1/billing/customers/${customer.id}`, { key, method: "DELETE" });
		expect(expectProblem(owed, 409, "invalid_state").open_balance).toBe(500);
		await pay(key, { customer_id: customer.id, invoice_id: invoice.id, amount: 500 });
		expectProblem(
			await api(`/v1/billing/customers/${customer.id}?hard=true`, { key, method: "DELETE" }),
			409,
			"conflict",
		);
		expect((await api(`/v1/billing/customers/${customer.id}`, { key, method: "DELETE" })).body.status).toBe("deleted");
	});
});
