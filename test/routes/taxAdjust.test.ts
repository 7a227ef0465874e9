import { describe, expect, it } from "vitest";
import { api, expectProblem, fieldsOf, newCustomer, newTenant } from "../helpers/api";
import { newInvoice } from "../helpers/invoices";

const adjust = (key: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
	api("/v1/billing/tax/adjust", { key, body, headers });

const correction = { jurisdiction: "DE", direction: "increase", amount: 500, currency: "EUR", reason: "Rate error" };

const balanceOf = async (key: string, code: string) => {
	const res = await api("/v1/billing/ledger/balances", { key });
	return res.body.accounts.find((a: { account_code: string }) => a.account_code === code)?.balance ?? 0;
};

describe("POST /v1/billing/tax/adjust", () => {
	it("books a balanced journal between tax payable and the tax adjustment account, audited, invoice untouched", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const invoice = await newInvoice(key, customer.id, { finalize: true });
		const res = await adjust(key, { ...correction, invoice_id: invoice.id });
		expect(res.status).toBe(201);
		expect(res.body).toMatchObject({
			object: "tax_adjustment",
			jurisdiction: "DE",
			direction: "increase",
			amount: 500,
			currency: "EUR",
			date: new Date().toISOString().slice(0, 10),
			reason: "Rate error",
			invoice_id: invoice.id,
		});
		expect(res.body.journal.id).toBe(res.body.journal_entry_id);
		expect(
			res.body.journal.lines.map((l: { account_code: string; debit: number; credit: number }) => [
				l.account_code,
				l.debit,
				l.credit,
			]),
		).toEqual([
			["6200", 500, 0],
			["2200-DE", 0, 500],
		]);
		const lower = await adjust(key, { ...correction, direction: "decrease", amount: 200, jurisdiction: "FR" });
		expect(lower.status).toBe(201);
		expect(await balanceOf(key, "6200")).toBe(300);
		expect(await balanceOf(key, "2200-FR")).toBe(200);

		const audit = await api(`/v1/billing/audit?target_id=${res.body.id}`, { key });
		expect(audit.body.data).toHaveLength(1);
		expect(audit.body.data[0]).toMatchObject({ action: "tax.adjusted", before: null });
		const after = (await api(`/v1/billing/invoices/${invoice.id}`, { key })).body;
		expect(after).toMatchObject({ version: invoice.version, tax_total: invoice.tax_total, total: invoice.total });
	});

	it("answers a retry with the same Idempotency-Key from the first, booking once", async () => {
		const { key } = await newTenant();
		const headers = { "Idempotency-Key": "tax-adjust-1" };
		const first = await adjust(key, correction, headers);
		const again = await adjust(key, correction, headers);
		expect(first.status).toBe(201);
		expect(again.status).toBe(201);
		expect(again.body.id).toBe(first.body.id);
		expect(await balanceOf(key, "2200-DE")).toBe(-500);
	});

	it("refuses bad input naming the field, a closed period, a draft invoice and another tenant's invoice", async () => {
		const { key } = await newTenant();
		const bad = expectProblem(
			await adjust(key, { jurisdiction: "Germany", direction: "up", amount: 0, currency: "EURO" }),
			422,
			"validation_failed",
		);
		expect(fieldsOf(bad)).toEqual(
			expect.arrayContaining(["body:jurisdiction", "body:direction", "body:amount", "body:currency", "body:reason"]),
		);
		const fraction = expectProblem(await adjust(key, { ...correction, amount: 1.5 }), 422, "validation_failed");
		expect(fieldsOf(fraction)).toEqual(["body:amount"]);

		expect((await api("/v1/billing/ledger/periods/close", { key, body: { through: "2025-12-31" } })).status).toBe(200);
		const closed = expectProblem(await adjust(key, { ...correction, date: "2025-12-31" }), 422, "validation_failed");
		expect(fieldsOf(closed)).toEqual(["body:date"]);

		const customer = await newCustomer(key);
		const draft = await newInvoice(key, customer.id);
		expectProblem(await adjust(key, { ...correction, invoice_id: draft.id }), 409, "invalid_state");
		const other = await newTenant();
		const theirs = await newInvoice(other.key, (await newCustomer(other.key)).id, { finalize: true });
		expectProblem(await adjust(key, { ...correction, invoice_id: theirs.id }), 404, "not_found");
		// Nothing was booked by any refusal.
		expect(await balanceOf(key, "6200")).toBe(0);
	});
});
