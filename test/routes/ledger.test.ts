import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, expectProblem, newCustomer, newTenant } from "../helpers/api";
import { newInvoice } from "../helpers/invoices";

type Row = { account_code: string; currency: string; debit: number; credit: number; balance: number };

const balanceOf = (rows: Row[], code: string, currency = "EUR") =>
	rows.find((r) => r.account_code === code && r.currency === currency)?.balance ?? 0;

describe("general ledger postings for invoices", () => {
	it("posts issue, void and write-off entries that keep the trial balance at zero", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const issued = await newInvoice(key, customer.id, { finalize: true });
		expect(issued.posted_to_gl).toBe(true);
		const entry = await api(`/v1/billing/journals/${issued.journal_entry_id}`, { key });
		expect(entry.status).toBe(200);
		expect(entry.body).toMatchObject({
			source: { type: "invoice", id: issued.id },
			total_debit: 41080,
			total_credit: 41080,
		});
		expect(entry.body.lines.map((l: Row) => [l.account_code, l.debit, l.credit])).toEqual([
			["1100", 38080, 0],
			["4100", 3000, 0],
			["4000", 0, 35000],
			["2200-DE", 0, 6080],
		]);

		const toVoid = await newInvoice(key, customer.id, { finalize: true });
		await api(`/v1/billing/invoices/${toVoid.id}/void`, { key, method: "POST" });
		const toWriteOff = await newInvoice(key, customer.id, { finalize: true });
		await api(`/v1/billing/invoices/${toWriteOff.id}/writeoff`, { key, body: { reason: "Gone" } });

		const balances = await api("/v1/billing/ledger/balances", { key });
		expect(balances.status).toBe(200);
		expect(balances.body.totals).toEqual([{ currency: "EUR", debit: expect.any(Number), credit: expect.any(Number) }]);
		expect(balances.body.totals[0].debit).toBe(balances.body.totals[0].credit);
		// AR equals what is still owed: only the first invoice is open.
		expect(balanceOf(balances.body.accounts, "1100")).toBe(38080);
		expect(balanceOf(balances.body.accounts, "6100")).toBe(38080);
		expect(balanceOf(balances.body.accounts, "4000")).toBe(-70000);

		const journals = await api(`/v1/billing/journals?source_id=${toVoid.id}`, { key });
		expect(journals.body.data).toHaveLength(2);
		const byAccount = await api("/v1/billing/journals?account_code=6100", { key });
		expect(byAccount.body.data.map((j: { source: { id: string } }) => j.source.id)).toEqual([toWriteOff.id]);
	});

	it("a draft posts nothing, and another tenant sees no entry", async () => {
		const a = await newTenant();
		const b = await newTenant();
		const draft = await newInvoice(a.key, (await newCustomer(a.key)).id);
		expect(draft.posted_to_gl).toBe(false);
		const issued = await newInvoice(a.key, (await newCustomer(a.key)).id, { finalize: true });
		expectProblem(await api(`/v1/billing/journals/${issued.journal_entry_id}`, { key: b.key }), 404, "not_found");
		expect((await api("/v1/billing/ledger/balances", { key: b.key })).body.accounts).toEqual([]);
	});

	it("the database refuses an unbalanced entry and any edit of a posted one", async () => {
		const { key, tenantId } = await newTenant();
		const issued = await newInvoice(key, (await newCustomer(key)).id, { finalize: true });
		await expect(
			env.DB.prepare("update journal_lines set debit = debit + 1 where entry_id = ?")
				.bind(issued.journal_entry_id)
				.run(),
		).rejects.toThrow(/append-only/);
		await expect(
			env.DB.batch([
				env.DB.prepare(
					"insert into journal_lines (id, tenant_id, entry_id, line_no, account_code, debit, credit, currency) values ('jl_x', ?, 'jrnl_x', 0, '1100', 100, 0, 'EUR')",
				).bind(tenantId),
				env.DB.prepare(
					"insert into journal_entries (id, tenant_id, entry_date, source_type, source_id, currency, description, total_debit, total_credit, created_at) values ('jrnl_x', ?, '2026-01-01', 'manual', 'x', 'EUR', 'x', (select sum(debit) from journal_lines where entry_id = 'jrnl_x'), (select sum(credit) from journal_lines where entry_id = 'jrnl_x'), '2026-01-01T00:00:00Z')",
				).bind(tenantId),
			]),
		).rejects.toThrow(/CHECK constraint failed/);
	});
});
