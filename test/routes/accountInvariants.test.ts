import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { api, newCustomer, newTenant } from "../helpers/api";

type Op =
	| { kind: "invoice"; amount: number; tax: number }
	| { kind: "pay"; amount: number; target: number | null }
	| { kind: "allocate"; payment: number; invoice: number; amount: number }
	| { kind: "unallocate"; payment: number; invoice: number; amount: number }
	| { kind: "refund"; payment: number; amount: number }
	| { kind: "credit"; invoice: number; amount: number; apply: boolean }
	| { kind: "writeoff"; invoice: number }
	| { kind: "void"; invoice: number };

const pick = fc.nat({ max: 7 });
const money = fc.integer({ min: 1, max: 20_000 });
const op: fc.Arbitrary<Op> = fc.oneof(
	{
		weight: 3,
		arbitrary: fc.record({ kind: fc.constant("invoice" as const), amount: money, tax: fc.constantFrom(0, 7, 19) }),
	},
	{
		weight: 3,
		arbitrary: fc.record({ kind: fc.constant("pay" as const), amount: money, target: fc.option(pick, { nil: null }) }),
	},
	fc.record({ kind: fc.constant("allocate" as const), payment: pick, invoice: pick, amount: money }),
	fc.record({ kind: fc.constant("unallocate" as const), payment: pick, invoice: pick, amount: money }),
	fc.record({ kind: fc.constant("refund" as const), payment: pick, amount: money }),
	fc.record({ kind: fc.constant("credit" as const), invoice: pick, amount: money, apply: fc.boolean() }),
	fc.record({ kind: fc.constant("writeoff" as const), invoice: pick }),
	fc.record({ kind: fc.constant("void" as const), invoice: pick }),
);

async function apply(key: string, customerId: string, state: { invoices: string[]; payments: string[] }, o: Op) {
	const invoice = (i: number) => state.invoices[i % Math.max(1, state.invoices.length)];
	const payment = (i: number) => state.payments[i % Math.max(1, state.payments.length)];
	switch (o.kind) {
		case "invoice": {
			const taxes = o.tax ? [{ jurisdiction: "DE", rate: o.tax }] : [];
			const res = await api("/v1/billing/invoices", {
				key,
				body: { customer_id: customerId, finalize: true, items: [{ description: "x", unit_price: o.amount, taxes }] },
			});
			if (res.status === 201) state.invoices.push(res.body.id);
			return res.status;
		}
		case "pay": {
			const target = o.target === null ? undefined : invoice(o.target);
			const res = await api("/v1/billing/payments", {
				key,
				body: {
					customer_id: customerId,
					amount: o.amount,
					currency: "EUR",
					payment_method: "card",
					...(target ? { invoice_id: target } : {}),
				},
			});
			if (res.status === 201) state.payments.push(res.body.id);
			return res.status;
		}
		case "allocate":
		case "unallocate":
			if (!payment(o.payment) || !invoice(o.invoice)) return 0;
			return (
				await api(`/v1/billing/payments/${payment(o.payment)}/allocate`, {
					key,
					body: { [o.kind]: [{ invoice_id: invoice(o.invoice), amount: o.amount }] },
				})
			).status;
		case "refund":
			if (!payment(o.payment)) return 0;
			return (await api(`/v1/billing/payments/${payment(o.payment)}/refund`, { key, body: { amount: o.amount } }))
				.status;
		case "credit":
			if (!invoice(o.invoice)) return 0;
			return (
				await api("/v1/billing/credit-notes", {
					key,
					body: { invoice_id: invoice(o.invoice), amount: o.amount, reason: "x", apply_to_invoice: o.apply },
				})
			).status;
		case "writeoff":
			if (!invoice(o.invoice)) return 0;
			return (await api(`/v1/billing/invoices/${invoice(o.invoice)}/writeoff`, { key, body: { reason: "x" } })).status;
		case "void":
			if (!invoice(o.invoice)) return 0;
			return (await api(`/v1/billing/invoices/${invoice(o.invoice)}/void`, { key, method: "POST" })).status;
	}
}

describe("account invariants under random operation sequences", () => {
	it("keeps every balance, allocation, credit and the ledger exact", async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(op, { minLength: 6, maxLength: 20 }), async (ops) => {
				const { key } = await newTenant();
				const customer = await newCustomer(key);
				const state = { invoices: [] as string[], payments: [] as string[] };
				for (const o of ops) {
					const status = await apply(key, customer.id, state, o);
					// Every answer is a success or a clear refusal; nothing is a server error.
					expect(status).toBeLessThan(500);
				}
				const invoices = (await api(`/v1/billing/invoices?customer_id=${customer.id}&limit=100`, { key })).body.data;
				let open = 0;
				for (const i of invoices) {
					const expected =
						i.status === "voided" ? 0 : i.total - i.amount_paid - i.amount_credited - i.amount_written_off;
					expect(i.balance).toBe(expected);
					expect(i.balance).toBeGreaterThanOrEqual(0);
					if (i.status === "issued" || i.status === "partially_paid") open += i.balance;
					if (i.status === "paid") expect(i.balance).toBe(0);
				}
				let unapplied = 0;
				const allocatedTo = new Map<string, number>();
				for (const id of state.payments) {
					const p = (await api(`/v1/billing/payments/${id}`, { key })).body;
					const allocated = p.allocations.reduce((s: number, a: { amount: number }) => s + a.amount, 0);
					expect(allocated).toBe(p.amount_allocated);
					expect(p.amount_allocated + p.amount_refunded + p.amount_reversed).toBeLessThanOrEqual(p.amount);
					unapplied += p.unapplied;
					for (const a of p.allocations) allocatedTo.set(a.invoice_id, (allocatedTo.get(a.invoice_id) ?? 0) + a.amount);
				}
				for (const i of invoices) expect(allocatedTo.get(i.id) ?? 0).toBe(i.amount_paid);
				const notes = (await api(`/v1/billing/credit-notes?customer_id=${customer.id}&limit=100`, { key })).body.data;
				const noteCredit = notes.reduce((s: number, n: { remaining_credit: number }) => s + n.remaining_credit, 0);

				const balance = (await api(`/v1/billing/customers/${customer.id}/balance`, { key })).body.balances[0] ?? {
					outstanding: 0,
					credit: 0,
					net: 0,
				};
				expect(balance.outstanding).toBe(open);
				expect(balance.credit).toBe(unapplied + noteCredit);
				expect(balance.net).toBe(open - unapplied - noteCredit);

				const ledger = (await api("/v1/billing/ledger/balances", { key })).body;
				for (const total of ledger.totals) expect(total.debit).toBe(total.credit);
				const account = (code: string) =>
					ledger.accounts.find((a: { account_code: string }) => a.account_code === code)?.balance ?? 0;
				expect(account("1100")).toBe(open);
				expect(account("2100") + unapplied + noteCredit).toBe(0);
			}),
			{ numRuns: 25 },
		);
	}, 120_000);
});
