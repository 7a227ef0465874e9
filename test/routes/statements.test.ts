import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, expectProblem, newCustomer, newTenant } from "../helpers/api";
import { newInvoice } from "../helpers/invoices";
import { balanceOf, pay } from "../helpers/payments";
import { pdfPages } from "../helpers/pdfText";

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

/** What the general ledger says the customer owes: receivables less the credit it holds. */
async function ledgerPosition(tenantId: string, customerId: string, asOf: string) {
	const row = await env.DB.prepare(
		`select coalesce(sum(l.debit - l.credit), 0) as owed
		 from journal_lines l join journal_entries e on e.id = l.entry_id
		 where l.tenant_id = ? and e.customer_id = ? and l.account_code in ('1100', '2100') and e.entry_date <= ?`,
	)
		.bind(tenantId, customerId, asOf)
		.first<{ owed: number }>();
	return row?.owed ?? 0;
}

describe("statements of account", () => {
	it("runs from the opening to the closing balance, which is the customer's balance and its ledger position", async () => {
		const { key, tenantId } = await newTenant();
		const customer = await newCustomer(key, { name: "Łódź Müller Ørsted", email: "ap@example.com" });
		const first = await newInvoice(key, customer.id, { finalize: true });
		const second = await newInvoice(key, customer.id, { finalize: true });
		const payment = await pay(key, { customer_id: customer.id, amount: 50000, reference: "SEPA-42" });
		const note = await api("/v1/billing/credit-notes", {
			key,
			body: { invoice_id: second.id, amount: 5000, reason: "Goodwill" },
		});
		expect(note.status).toBe(201);
		const refund = await api(`/v1/billing/payments/${payment.id}/refund`, { key, body: { amount: 2000 } });
		expect(refund.status).toBe(201);
		const writeOff = await api(`/v1/billing/invoices/${second.id}/writeoff`, { key, body: { reason: "Insolvent" } });
		expect(writeOff.status).toBe(200);

		const res = await api(`/v1/billing/customers/${customer.id}/statement`, {
			key,
			body: { from: daysAgo(30), to: today(), currency: "EUR" },
		});
		expect(res.status).toBe(201);
		const statement = res.body;
		expect(statement.opening_balance).toBe(0);
		expect(statement.entries.map((e: { type: string }) => e.type)).toEqual([
			"invoice",
			"invoice",
			"payment",
			"credit_note",
			"refund",
			"write_off",
		]);
		const last = statement.entries.at(-1);
		expect(last.balance).toBe(statement.closing_balance);
		const net = (await balanceOf(key, customer.id)).net;
		expect(statement.closing_balance).toBe(net);
		expect(statement.closing_balance).toBe(await ledgerPosition(tenantId, customer.id, today()));
		const outstanding = (await balanceOf(key, customer.id)).outstanding;
		expect(Object.values(statement.aging as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(outstanding);

		// The same record, as JSON, as the stored PDF, and in the customer's list.
		expect((await api(`/v1/billing/statements/${statement.id}`, { key })).body).toEqual(statement);
		const pdf = await SELF.fetch(`https://billing.test/v1/billing/statements/${statement.id}`, {
			headers: { authorization: `Bearer ${key}`, accept: "application/pdf" },
		});
		expect(pdf.headers.get("content-type")).toBe("application/pdf");
		const text = (await pdfPages(await pdf.arrayBuffer())).join("\n");
		expect(text).toContain("Statement of account");
		expect(text).toContain("Łódź Müller Ørsted");
		expect(text).toContain(first.number);
		expect(text).toContain("SEPA-42");
		expect(text).toContain("Closing balance");
		const byQuery = await SELF.fetch(`https://billing.test/v1/billing/statements/${statement.id}?format=pdf`, {
			headers: { authorization: `Bearer ${key}` },
		});
		expect(byQuery.headers.get("etag")).toBe(pdf.headers.get("etag"));
		await byQuery.arrayBuffer();
		const list = await api(`/v1/billing/customers/${customer.id}/statements`, { key });
		expect(list.body.data.map((s: { id: string }) => s.id)).toEqual([statement.id]);

		// Everything moved today: a one-day period holds it all and closes at the same balance.
		const later = await api(`/v1/billing/customers/${customer.id}/statement`, {
			key,
			body: { from: today(), to: today() },
		});
		expect(later.body.opening_balance).toBe(0);
		expect(later.body.closing_balance).toBe(statement.closing_balance);
	});

	it("refuses a period that runs backwards or over five years, and another tenant's customer", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const backwards = await api(`/v1/billing/customers/${customer.id}/statement`, {
			key,
			body: { from: "2026-03-01", to: "2026-02-01" },
		});
		expect(expectProblem(backwards, 422, "validation_failed").errors[0].field).toBe("from");
		const tooLong = await api(`/v1/billing/customers/${customer.id}/statement`, {
			key,
			body: { from: "2020-01-01", to: "2025-06-01" },
		});
		expect(expectProblem(tooLong, 422, "validation_failed").errors[0].field).toBe("to");
		const other = await newTenant();
		const foreign = await api(`/v1/billing/customers/${customer.id}/statement`, {
			key: other.key,
			body: { from: "2026-01-01", to: "2026-02-01" },
		});
		expect(foreign.status).toBe(404);
	});
});
