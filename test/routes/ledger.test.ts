import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, expectProblem, fieldsOf, newCustomer, newTenant } from "../helpers/api";
import { newInvoice } from "../helpers/invoices";
import { pay } from "../helpers/payments";

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
					"insert into journal_lines (id, tenant_id, entry_id, line_no, account_code, debit, credit, currency, base_debit, base_credit) values ('jl_x', ?, 'jrnl_x', 0, '1100', 100, 0, 'EUR', 100, 0)",
				).bind(tenantId),
				env.DB.prepare(
					"insert into journal_entries (id, tenant_id, entry_date, source_type, source_id, currency, description, total_debit, total_credit, base_currency, fx_rate, base_total_debit, base_total_credit, created_at) values ('jrnl_x', ?, '2026-01-01', 'manual', 'x', 'EUR', 'x', (select sum(debit) from journal_lines where entry_id = 'jrnl_x'), (select sum(credit) from journal_lines where entry_id = 'jrnl_x'), 'EUR', '1', 100, 100, '2026-01-01T00:00:00Z')",
				).bind(tenantId),
			]),
		).rejects.toThrow(/CHECK constraint failed/);
	});
});

describe("chart of accounts, manual journals and closed periods", () => {
	it("maps SKUs, roles and tax jurisdictions to the tenant's own accounts", async () => {
		const { key } = await newTenant();
		for (const account of [
			{ code: "4010", name: "Consulting revenue", type: "revenue" },
			{ code: "1776", name: "VAT payable DE", type: "liability" },
		]) {
			expect((await api("/v1/billing/ledger/accounts", { key, body: account })).status).toBe(201);
		}
		expectProblem(
			await api("/v1/billing/ledger/accounts", { key, body: { code: "1100", name: "x", type: "asset" } }),
			409,
			"conflict",
		);
		const bad = await api("/v1/billing/ledger/mappings", {
			key,
			method: "PUT",
			body: { mappings: { revenue: "9999" } },
		});
		expect(expectProblem(bad, 422, "validation_failed").errors[0].field).toBe("mappings.revenue");
		const badRole = await api("/v1/billing/ledger/mappings", {
			key,
			method: "PUT",
			body: { mappings: { bogus: "4010" } },
		});
		expect(expectProblem(badRole, 422, "validation_failed").errors[0].field).toBe("mappings.bogus");
		const mapped = await api("/v1/billing/ledger/mappings", {
			key,
			method: "PUT",
			body: { mappings: { "sku:CONS-H": "4010", "tax_payable:DE": "1776" } },
		});
		expect(mapped.body.mappings).toEqual({ "sku:CONS-H": "4010", "tax_payable:DE": "1776" });
		const issued = await newInvoice(key, (await newCustomer(key)).id, { finalize: true });
		const entry = await api(`/v1/billing/journals/${issued.journal_entry_id}`, { key });
		expect(
			entry.body.lines.map((l: Row & { account_name: string }) => [l.account_code, l.account_name, l.debit, l.credit]),
		).toEqual([
			["1100", "Accounts receivable", 38080, 0],
			["4100", "Discounts given", 3000, 0],
			["4010", "Consulting revenue", 0, 30000],
			["4000", "Sales revenue", 0, 5000],
			["1776", "VAT payable DE", 0, 6080],
		]);
		await api("/v1/billing/ledger/accounts", { key, body: { code: "1010", name: "Refund clearing", type: "asset" } });
		await api("/v1/billing/ledger/mappings", {
			key,
			method: "PUT",
			body: { mappings: { "event:refund:cash": "1010" } },
		});
		const payment = await pay(key, { customer_id: issued.customer_id, amount: 1000 });
		const refund = await api(`/v1/billing/payments/${payment.id}/refund`, { key, body: { amount: 1000 } });
		const refundEntry = await api(`/v1/billing/journals/${refund.body.journal_entry_id}`, { key });
		expect(refundEntry.body.lines.find((l: Row) => l.credit > 0).account_code).toBe("1010");
		const paymentEntry = await api(`/v1/billing/journals/${payment.journal_entry_id}`, { key });
		expect(paymentEntry.body.lines.find((l: Row) => l.debit > 0).account_code).toBe("1000");
		const accounts = await api("/v1/billing/ledger/accounts", { key });
		expect(accounts.body.data.find((a: { code: string }) => a.code === "4010")).toMatchObject({
			built_in: false,
			type: "revenue",
		});
	});

	it("posts manual journals only when balanced, on known accounts", async () => {
		const { key } = await newTenant();
		const ok = await api("/v1/billing/journals", {
			key,
			body: {
				date: "2026-01-31",
				currency: "EUR",
				description: "Accrual",
				entries: [
					{ account_code: "1100", debit: 5000, description: "Accrued", source_ref: "ACC-1" },
					{ account_code: "4000", credit: 5000 },
				],
			},
		});
		expect(ok.status).toBe(201);
		expect(ok.body).toMatchObject({ source: { type: "manual" }, total_debit: 5000, entry_date: "2026-01-31" });
		expect(ok.body.lines[0].description).toBe("Accrued · ACC-1");
		const cases: [unknown[], string][] = [
			[
				[
					{ account_code: "1100", debit: 5000 },
					{ account_code: "4000", credit: 4999 },
				],
				"entries",
			],
			[
				[
					{ account_code: "1100", debit: 5000 },
					{ account_code: "9999", credit: 5000 },
				],
				"entries.1.account_code",
			],
			[
				[
					{ account_code: "1100", debit: 5000, credit: 5000 },
					{ account_code: "4000", credit: 0 },
				],
				"entries.0",
			],
		];
		for (const [entries, field] of cases) {
			const res = await api("/v1/billing/journals", {
				key,
				body: { date: "2026-01-31", currency: "EUR", description: "x", entries },
			});
			expect(expectProblem(res, 422, "validation_failed").errors.map((e: { field: string }) => e.field)).toContain(
				field,
			);
		}
		const balances = await api("/v1/billing/ledger/balances?as_of=2026-01-31", { key });
		expect(balanceOf(balances.body.accounts, "1100")).toBe(5000);
		expect((await api("/v1/billing/ledger/balances?as_of=2026-01-30", { key })).body.accounts).toEqual([]);
		expect((await api("/v1/billing/ledger/balances?from=2026-02-01&as_of=2026-12-31", { key })).body.accounts).toEqual(
			[],
		);
	});

	it("closing a period refuses postings dated inside it and moves automatic ones to the open period", async () => {
		const { key, tenantId } = await newTenant();
		const closed = await api("/v1/billing/ledger/periods/close", { key, body: { through: "2025-12-31" } });
		expect(closed.body).toEqual({ object: "ledger_periods", closed_through: "2025-12-31" });
		const inside = await api("/v1/billing/journals", {
			key,
			body: {
				date: "2025-12-15",
				currency: "EUR",
				description: "Late",
				entries: [
					{ account_code: "1100", debit: 1 },
					{ account_code: "4000", credit: 1 },
				],
			},
		});
		expect(expectProblem(inside, 422, "validation_failed").errors[0].field).toBe("date");
		const backdated = await newInvoice(key, (await newCustomer(key)).id, { finalize: true, issue_date: "2025-12-20" });
		expect(backdated.issue_date).toBe("2025-12-20");
		const entry = await api(`/v1/billing/journals/${backdated.journal_entry_id}`, { key });
		expect(entry.body.entry_date).toBe("2026-01-01");
		expectProblem(
			await api("/v1/billing/ledger/periods/close", { key, body: { through: "2025-06-30" } }),
			422,
			"validation_failed",
		);
		expect((await api("/v1/billing/ledger/periods", { key })).body.closed_through).toBe("2025-12-31");
		await expect(
			env.DB.prepare("update tenants set books_closed_through = '2025-01-01' where id = ?").bind(tenantId).run(),
		).rejects.toThrow(/cannot be reopened/);
	});

	it("answers concurrent closes of different days with 200 or 409, never 500, and keeps the latest", async () => {
		const { key } = await newTenant();
		const days = ["2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31", "2025-01-31", "2025-05-31"];
		const answers = await Promise.all(
			days.map((through) => api("/v1/billing/ledger/periods/close", { key, body: { through } })),
		);
		for (const res of answers) expect([200, 409, 422], res.text).toContain(res.status);
		const latestClosed = days
			.filter((_, i) => answers[i]?.status === 200)
			.sort()
			.at(-1);
		expect((await api("/v1/billing/ledger/periods", { key })).body.closed_through).toBe(latestClosed);
	});
});

describe("multi-currency postings", () => {
	it("carries base amounts at the recorded rate and realises exchange differences on payment", async () => {
		const { key } = await newTenant("EUR");
		const customer = await newCustomer(key, { currency: "USD" });
		const invoiceBody = {
			finalize: true,
			issue_date: "2026-01-10",
			items: [{ description: "Service", unit_price: 10000 }],
		};
		const missing = await api("/v1/billing/invoices", { key, body: { customer_id: customer.id, ...invoiceBody } });
		expect(expectProblem(missing, 409, "invalid_state")).toMatchObject({ currency: "USD", base_currency: "EUR" });
		expectProblem(
			await api("/v1/billing/fx-rates", { key, body: { currency: "EUR", rate: "1", effective_date: "2026-01-01" } }),
			422,
			"validation_failed",
		);
		expectProblem(
			await api("/v1/billing/fx-rates", { key, body: { currency: "USD", rate: "-1", effective_date: "2026-01-01" } }),
			422,
			"validation_failed",
		);
		// JSON.parse reads 9007199254740993 as …992: a rate that is not the number sent is refused, as is an absurd one.
		for (const rate of ["9007199254740993", "1000000000000.5"]) {
			const refused = await api("/v1/billing/fx-rates", {
				key,
				rawBody: `{"currency":"USD","rate":${rate},"effective_date":"2026-01-01"}`,
				headers: { "content-type": "application/json" },
			});
			expect(fieldsOf(expectProblem(refused, 422, "validation_failed"))).toEqual(["body:rate"]);
		}
		expectProblem(
			await api("/v1/billing/fx-rates", {
				key,
				body: { currency: "USD", rate: "1000000000001", effective_date: "2026-01-01" },
			}),
			422,
			"validation_failed",
		);
		await api("/v1/billing/fx-rates", { key, body: { currency: "USD", rate: "0.9", effective_date: "2026-01-01" } });
		const stronger = new Date().toISOString().slice(0, 10);
		await api("/v1/billing/fx-rates", { key, body: { currency: "USD", rate: "0.95", effective_date: stronger } });
		expect(
			(await api("/v1/billing/fx-rates?currency=USD", { key })).body.data.map((r: { rate: string }) => r.rate),
		).toEqual(["0.9", "0.95"]);

		const invoice = await newInvoice(key, customer.id, invoiceBody);
		const issued = (await api(`/v1/billing/journals/${invoice.journal_entry_id}`, { key })).body;
		expect(issued).toMatchObject({
			currency: "USD",
			base_currency: "EUR",
			fx_rate: "0.9",
			total_debit: 10000,
			base_total_debit: 9000,
		});

		// Paid today at 0.95: 10000 USD bring 9500 EUR for a receivable carried at 9000 EUR, a 500 EUR gain.
		const payment = await api("/v1/billing/payments", {
			key,
			body: { customer_id: customer.id, amount: 10000, currency: "USD", payment_method: "bank_transfer" },
		});
		const received = (await api(`/v1/billing/journals/${payment.body.journal_entry_id}`, { key })).body;
		expect(
			received.lines.map(
				(l: { account_code: string; debit: number; credit: number; base_debit: number; base_credit: number }) => [
					l.account_code,
					l.debit,
					l.credit,
					l.base_debit,
					l.base_credit,
				],
			),
		).toEqual([
			["1000", 10000, 0, 9500, 0],
			["1100", 0, 10000, 0, 9000],
			["7100", 0, 0, 0, 500],
		]);
		const balances = (await api("/v1/billing/ledger/balances", { key })).body;
		expect(balances.base_currency).toBe("EUR");
		expect(balances.base_totals.debit).toBe(balances.base_totals.credit);
		const ar = balances.accounts.find((a: { account_code: string }) => a.account_code === "1100");
		expect(ar).toMatchObject({ currency: "USD", balance: 0, base_balance: 0 });
		expect(balances.accounts.find((a: { account_code: string }) => a.account_code === "7100").base_balance).toBe(-500);
	});
});
