import { describe, expect, it } from "vitest";
import { api, expectProblem, newCustomer, newTenant } from "../helpers/api";
import { newInvoice } from "../helpers/invoices";
import { balanceOf, pay } from "../helpers/payments";

const invoiceOf = (amount: number) => ({ finalize: true, items: [{ description: "Service", unit_price: amount }] });

describe("chargebacks and disputes", () => {
	it("a won dispute moves nothing; a lost one reverses the payment and reopens the invoice", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const invoice = await newInvoice(key, customer.id, invoiceOf(5000));
		const payment = await pay(key, { customer_id: customer.id, amount: 6000 });
		const opened = await api("/v1/billing/chargebacks", {
			key,
			body: { payment_id: payment.id, amount: 5500, reason: "fraudulent" },
		});
		expect(opened.status).toBe(201);
		expect(opened.body).toMatchObject({ status: "open", amount: 5500 });
		const overlapping = await api("/v1/billing/disputes", {
			key,
			body: { payment_id: payment.id, amount: 501, reason: "duplicate" },
		});
		expect(expectProblem(overlapping, 409, "conflict").errors[0].field).toBe("amount");

		const evidence = await api(`/v1/billing/disputes/${opened.body.id}`, {
			key,
			method: "PATCH",
			body: { evidence: [{ kind: "receipt", description: "Signed delivery note" }], note: "Customer called" },
		});
		expect(evidence.body.evidence).toHaveLength(1);
		expect(evidence.body.notes[0].body).toBe("Customer called");

		const lost = await api(`/v1/billing/disputes/${opened.body.id}/resolve`, { key, body: { outcome: "lost" } });
		expect(lost.body).toMatchObject({ status: "lost" });
		expect(lost.body.journal_entry_id).toMatch(/^jrnl_/);
		const reversed = await api(`/v1/billing/payments/${payment.id}`, { key });
		expect(reversed.body).toMatchObject({ amount_reversed: 5500, unapplied: 0, amount_allocated: 500 });
		expect((await api(`/v1/billing/invoices/${invoice.id}`, { key })).body).toMatchObject({
			status: "partially_paid",
			balance: 4500,
		});
		expect(await balanceOf(key, customer.id)).toMatchObject({ outstanding: 4500, credit: 0 });
		expectProblem(
			await api(`/v1/billing/disputes/${opened.body.id}/resolve`, { key, body: { outcome: "won" } }),
			409,
			"invalid_state",
		);
		expectProblem(
			await api(`/v1/billing/disputes/${opened.body.id}`, { key, method: "PATCH", body: { note: "late" } }),
			409,
			"invalid_state",
		);

		const second = await api("/v1/billing/chargebacks", { key, body: { payment_id: payment.id, reason: "duplicate" } });
		expect(second.body.amount).toBe(500);
		const won = await api(`/v1/billing/disputes/${second.body.id}/resolve`, { key, body: { outcome: "won" } });
		expect(won.body).toMatchObject({ status: "won", journal_entry_id: null });
		expect((await api(`/v1/billing/payments/${payment.id}`, { key })).body.amount_reversed).toBe(5500);

		const list = await api("/v1/billing/chargebacks?status=lost", { key });
		expect(list.body.data.map((d: { id: string }) => d.id)).toEqual([opened.body.id]);
		const balances = await api("/v1/billing/ledger/balances", { key });
		expect(balances.body.totals[0].debit).toBe(balances.body.totals[0].credit);
		const history = await api(`/v1/billing/audit?target_id=${opened.body.id}`, { key });
		expect(history.body.data.map((a: { action: string }) => a.action).sort()).toEqual([
			"chargeback.created",
			"dispute.resolved",
			"dispute.updated",
		]);
	});

	it("validates input and keeps disputes per tenant", async () => {
		const { key } = await newTenant();
		const other = await newTenant();
		const customer = await newCustomer(key);
		const payment = await pay(key, { customer_id: customer.id, amount: 100 });
		expectProblem(
			await api("/v1/billing/chargebacks", { key, body: { payment_id: payment.id } }),
			422,
			"validation_failed",
		);
		expectProblem(
			await api("/v1/billing/chargebacks", { key: other.key, body: { payment_id: payment.id, reason: "x" } }),
			404,
			"not_found",
		);
		const dispute = await api("/v1/billing/chargebacks", { key, body: { payment_id: payment.id, reason: "x" } });
		expectProblem(await api(`/v1/billing/disputes/${dispute.body.id}`, { key: other.key }), 404, "not_found");
		expectProblem(
			await api(`/v1/billing/disputes/${dispute.body.id}/resolve`, { key, body: { outcome: "maybe" } }),
			422,
			"validation_failed",
		);
	});
});
