import { describe, expect, it } from "vitest";
import { api, expectProblem, newCustomer, newTenant } from "../helpers/api";
import { newInvoice } from "../helpers/invoices";
import { pay } from "../helpers/payments";

async function waitForReconciliation(key: string, id: string) {
	for (let attempt = 0; attempt < 200; attempt++) {
		const res = await api(`/v1/billing/reconciliations/${id}`, { key });
		if (res.body.status === "completed") return res.body;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	throw new Error(`reconciliation ${id} did not complete`);
}

describe("payment reconciliation", () => {
	it("reports matched, ambiguous and unmatched lines and records confirmed matches once", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const named = await newInvoice(key, customer.id, {
			finalize: true,
			items: [{ description: "a", unit_price: 1234 }],
		});
		await newInvoice(key, customer.id, { finalize: true, items: [{ description: "b", unit_price: 500 }] });
		await newInvoice(key, customer.id, { finalize: true, items: [{ description: "c", unit_price: 500 }] });
		const known = await pay(key, { customer_id: customer.id, amount: 77, reference: "CARD-9" });
		const lines = [
			{ date: "2026-03-01", amount: 1234, currency: "EUR", reference: named.number },
			{ date: "2026-03-01", amount: 500, currency: "EUR" },
			{ date: "2026-03-01", amount: 77, currency: "EUR", reference: "CARD-9" },
			{ date: "2026-03-01", amount: 999, currency: "EUR", description: "unknown" },
		];
		const started = await api("/v1/billing/payments/reconcile", { key, body: { lines, confirm: true } });
		expect(started.status).toBe(202);
		const report = await waitForReconciliation(key, started.body.id);
		expect(report.summary).toEqual({ matched: 2, ambiguous: 1, unmatched: 1, recorded: 1 });
		expect(report.lines[0]).toMatchObject({
			status: "matched",
			match_type: "invoice_reference",
			invoice_id: named.id,
			recorded: true,
		});
		expect(report.lines[1]).toMatchObject({ status: "ambiguous" });
		expect(report.lines[2]).toMatchObject({ status: "matched", payment_id: known.id });
		expect((await api(`/v1/billing/invoices/${named.id}`, { key })).body.status).toBe("paid");

		// The same statement again: the recorded line is recognised, nothing is recorded twice.
		const again = await api("/v1/billing/payments/reconcile", { key, body: { lines, confirm: true } });
		const second = await waitForReconciliation(key, again.body.id);
		expect(second.lines[0]).toMatchObject({ status: "matched", match_type: "payment_reference" });
		const payments = await api(`/v1/billing/payments?customer_id=${customer.id}`, { key });
		expect(payments.body.data).toHaveLength(2);
	});

	it("validates lines and keeps reports per tenant", async () => {
		const { key } = await newTenant();
		const other = await newTenant();
		const bad = await api("/v1/billing/payments/reconcile", {
			key,
			body: { lines: [{ date: "2026-13-01", amount: 1, currency: "EUR" }] },
		});
		expect(expectProblem(bad, 422, "validation_failed").errors[0].field).toBe("lines.0.date");
		const started = await api("/v1/billing/payments/reconcile", {
			key,
			body: { lines: [{ date: "2026-03-01", amount: 1, currency: "EUR" }] },
		});
		await waitForReconciliation(key, started.body.id);
		expectProblem(await api(`/v1/billing/reconciliations/${started.body.id}`, { key: other.key }), 404, "not_found");
	});
});
