import { describe, expect, it } from "vitest";
import { api, expectProblem, newCustomer, newTenant } from "../helpers/api";
import { newInvoice } from "../helpers/invoices";
import { balanceOf, pay } from "../helpers/payments";

const taxed = {
	finalize: true,
	items: [{ description: "Widget", quantity: 10, unit_price: 1000, taxes: [{ jurisdiction: "DE", rate: 19 }] }],
};

describe("credit notes", () => {
	it("credits an invoice by amount, splitting tax, numbered from its own series", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const invoice = await newInvoice(key, customer.id, taxed); // 10000 + 1900 tax = 11900
		const note = await api("/v1/billing/credit-notes", {
			key,
			body: { invoice_id: invoice.id, amount: 1190, reason: "One damaged" },
		});
		expect(note.status).toBe(201);
		expect(note.body).toMatchObject({
			number: `CN-${new Date().getUTCFullYear()}-0001`,
			amount: 1190,
			net_amount: 1000,
			tax_lines: [{ jurisdiction: "DE", amount: 190 }],
			amount_applied: 1190,
			remaining_credit: 0,
		});
		expect((await api(`/v1/billing/invoices/${invoice.id}`, { key })).body).toMatchObject({
			status: "partially_paid",
			amount_credited: 1190,
			balance: 10710,
		});
		// The number is the database's to assign in the batch: the audit row and the event carry it too.
		const audit = await api(`/v1/billing/audit?target_id=${note.body.id}`, { key });
		expect(audit.body.data).toHaveLength(1);
		expect(audit.body.data[0]).toMatchObject({ action: "credit_note.issued", before: null });
		expect(audit.body.data[0].after).toEqual(note.body);
		const events = await api(`/v1/billing/events?resource_id=${note.body.id}`, { key });
		expect(events.body.data.map((e: { type: string }) => e.type)).toEqual(["credit_note.issued"]);
		expect(events.body.data[0].data).toEqual({ object: note.body, previous: null });
		const second = await api("/v1/billing/credit-notes", {
			key,
			body: { invoice_id: invoice.id, amount: 100, reason: "x" },
		});
		expect(second.body.number).toMatch(/-0002$/);
		const balances = await api("/v1/billing/ledger/balances", { key });
		expect(balances.body.totals[0].debit).toBe(balances.body.totals[0].credit);
		expect(balances.body.accounts.find((a: { account_code: string }) => a.account_code === "2200-DE").balance).toBe(
			-1900 + 190 + 16,
		);
	});

	it("credits by lines, turns what exceeds the balance into customer credit, and applies it later", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const invoice = await newInvoice(key, customer.id, taxed);
		await pay(key, { customer_id: customer.id, invoice_id: invoice.id, amount: 11000 });
		const note = await api("/v1/billing/credit-notes", {
			key,
			body: { invoice_id: invoice.id, lines: [{ line_id: invoice.lines[0].id, amount: 2380 }], reason: "Two returned" },
		});
		expect(note.body).toMatchObject({ amount: 2380, net_amount: 2000, amount_applied: 900, remaining_credit: 1480 });
		expect((await api(`/v1/billing/invoices/${invoice.id}`, { key })).body).toMatchObject({
			status: "paid",
			balance: 0,
		});
		expect(await balanceOf(key, customer.id)).toMatchObject({ outstanding: 0, credit: 1480 });

		const next = await newInvoice(key, customer.id, {
			finalize: true,
			items: [{ description: "x", unit_price: 1000 }],
		});
		const applied = await api(`/v1/billing/credit-notes/${note.body.id}/apply`, { key, body: { invoice_id: next.id } });
		expect(applied.body).toMatchObject({ amount_applied: 1900, remaining_credit: 480 });
		const credited = (await api(`/v1/billing/invoices/${next.id}`, { key })).body;
		expect(credited).toMatchObject({ status: "paid", amount_credited: 1000 });
		expect(credited.credit_notes).toEqual([{ credit_note_id: note.body.id, amount: 1000 }]);
		expectProblem(
			await api(`/v1/billing/credit-notes/${note.body.id}/apply`, { key, body: { invoice_id: next.id } }),
			409,
			"invalid_state",
		);
		const third = await newInvoice(key, customer.id, {
			finalize: true,
			items: [{ description: "y", unit_price: 5000 }],
		});
		const over = await api(`/v1/billing/credit-notes/${note.body.id}/apply`, {
			key,
			body: { invoice_id: third.id, amount: 481 },
		});
		expectProblem(over, 409, "conflict");
		expectProblem(
			await api(`/v1/billing/credit-notes/${note.body.id}/void`, { key, method: "POST" }),
			409,
			"invalid_state",
		);
	});

	it("never credits more than is creditable, refuses drafts and voided invoices, and voids an unused note", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const invoice = await newInvoice(key, customer.id, taxed);
		const tooMuch = await api("/v1/billing/credit-notes", {
			key,
			body: { invoice_id: invoice.id, amount: 11901, reason: "x" },
		});
		expect(expectProblem(tooMuch, 409, "conflict").errors[0].field).toBe("amount");
		const both = await api("/v1/billing/credit-notes", { key, body: { invoice_id: invoice.id, reason: "x" } });
		expectProblem(both, 422, "validation_failed");
		const draft = await newInvoice(key, customer.id);
		expectProblem(
			await api("/v1/billing/credit-notes", { key, body: { invoice_id: draft.id, amount: 1, reason: "x" } }),
			409,
			"invalid_state",
		);

		const unused = await api("/v1/billing/credit-notes", {
			key,
			body: { invoice_id: invoice.id, amount: 500, reason: "Goodwill", apply_to_invoice: false },
		});
		expect(unused.body).toMatchObject({ amount_applied: 0, remaining_credit: 500 });
		const voided = await api(`/v1/billing/credit-notes/${unused.body.id}/void`, { key, method: "POST" });
		expect(voided.body).toMatchObject({ status: "voided", remaining_credit: 0 });
		expect(await balanceOf(key, customer.id)).toMatchObject({ credit: 0, outstanding: 11900 });
		const list = await api(`/v1/billing/credit-notes?invoice_id=${invoice.id}&status=voided`, { key });
		expect(list.body.data).toHaveLength(1);
		const other = await newTenant();
		expectProblem(await api(`/v1/billing/credit-notes/${unused.body.id}`, { key: other.key }), 404, "not_found");
		expectProblem(
			await api("/v1/billing/credit-notes", {
				key: other.key,
				body: { invoice_id: invoice.id, amount: 1, reason: "x" },
			}),
			422,
			"validation_failed",
		);
		const balances = await api("/v1/billing/ledger/balances", { key });
		expect(balances.body.totals[0].debit).toBe(balances.body.totals[0].credit);
	});
});
