import { describe, expect, it } from "vitest";
import { api, expectProblem, fieldsOf, newCustomer, newTenant, waitForJob } from "../helpers/api";
import { newInvoice } from "../helpers/invoices";

const today = () => new Date().toISOString().slice(0, 10);

async function germanSeller() {
	const tenant = await newTenant("EUR");
	const res = await api("/v1/billing/settings", {
		key: tenant.key,
		method: "PATCH",
		body: { tax_origin_country: "DE" },
	});
	if (res.status !== 200) throw new Error(`settings: ${res.status} ${res.text}`);
	return tenant;
}

async function runReport(key: string, query: string) {
	const res = await api(`/v1/billing/tax/reports?${query}`, { key });
	expect(res.status).toBe(202);
	expect(res.body).toMatchObject({ object: "job", type: "tax_report", status: "queued" });
	const job = await waitForJob(key, res.body.id);
	expect(job.status).toBe("succeeded");
	const file = await api(job.result_url, { key });
	expect(file.status).toBe(200);
	return { job, report: JSON.parse(file.text) };
}

/** Invoices in Germany (two rates) and France (standard and zero), a credit note, and an invoice issued then voided. */
async function booksOfThePeriod() {
	const tenant = await germanSeller();
	const { key } = tenant;
	const german = await newCustomer(key);
	const french = await newCustomer(key, { name: "Dupont SARL" });
	const inDe = await newInvoice(key, german.id, {
		finalize: true,
		items: [
			{ description: "Consulting", unit_price: 10000, taxes: [{ jurisdiction: "DE", rate: 19 }] },
			{ description: "Books", unit_price: 5000, taxes: [{ jurisdiction: "DE", rate: 7 }] },
		],
	});
	await newInvoice(key, french.id, {
		finalize: true,
		items: [
			{ description: "Streaming", unit_price: 20000, taxes: [{ jurisdiction: "FR", rate: 20 }] },
			{ description: "Export freight", unit_price: 3000, taxes: [{ jurisdiction: "FR", rate: 0 }] },
		],
	});
	const voided = await newInvoice(key, german.id, {
		finalize: true,
		items: [{ description: "Mistake", unit_price: 1000, taxes: [{ jurisdiction: "DE", rate: 19 }] }],
	});
	expect((await api(`/v1/billing/invoices/${voided.id}/void`, { key, body: { reason: "duplicate" } })).status).toBe(
		200,
	);
	// 17250 gross: a tenth credited, shared over the lines by their totals: 1000 net + 190 tax at 19 %, 500 + 35 at 7 %.
	const note = await api("/v1/billing/credit-notes", {
		key,
		body: { invoice_id: inDe.id, amount: 1725, reason: "Late delivery" },
	});
	expect(note.status).toBe(201);
	expect(note.body.tax_lines).toMatchObject([
		{ jurisdiction: "DE", category: "S", rate: "19", taxable_amount: 1000, amount: 190 },
		{ jurisdiction: "DE", category: "S", rate: "7", taxable_amount: 500, amount: 35 },
	]);
	const adjustment = await api("/v1/billing/tax/adjust", {
		key,
		body: { jurisdiction: "FR", direction: "decrease", amount: 40, currency: "EUR", reason: "Overcharged" },
	});
	expect(adjustment.status).toBe(201);
	return tenant;
}

describe("GET /v1/billing/tax/reports", () => {
	it("reports per jurisdiction × category × rate, and its totals equal the ledger's tax payable movements", async () => {
		const { key } = await booksOfThePeriod();
		const { job, report } = await runReport(key, `from=${today()}&to=${today()}`);
		const row = (jurisdiction: string, category: string, rate: string) =>
			report.rows.find(
				(r: { jurisdiction: string; category: string; rate: string }) =>
					r.jurisdiction === jurisdiction && r.category === category && r.rate === rate,
			);
		expect(report.rows).toHaveLength(4);
		expect(row("DE", "S", "19")).toEqual({
			currency: "EUR",
			jurisdiction: "DE",
			category: "S",
			rate: "19",
			taxable_base: 10000,
			tax_charged: 1900,
			credit_note_base: 1000,
			credit_note_tax: 190,
			net_taxable_base: 9000,
			net_tax: 1710,
		});
		expect(row("DE", "S", "7")).toMatchObject({
			taxable_base: 5000,
			tax_charged: 350,
			credit_note_tax: 35,
			net_tax: 315,
		});
		expect(row("FR", "S", "20")).toMatchObject({ taxable_base: 20000, tax_charged: 4000, net_tax: 4000 });
		expect(row("FR", "Z", "0")).toMatchObject({ taxable_base: 3000, tax_charged: 0, net_tax: 0 });
		// The OSS return lists France, where the buyer consumed, not Germany, where the seller is.
		expect(report.oss_return).toEqual([
			{ member_state: "FR", currency: "EUR", rate_type: "zero", rate: "0", taxable_amount: 3000, vat_amount: 0 },
			{
				member_state: "FR",
				currency: "EUR",
				rate_type: "standard",
				rate: "20",
				taxable_amount: 20000,
				vat_amount: 4000,
			},
		]);

		const ledger = await api(`/v1/billing/ledger/balances?from=${today()}&as_of=${today()}`, { key });
		expect(ledger.status).toBe(200);
		const payable = (code: string) =>
			-(ledger.body.accounts.find((a: { account_code: string }) => a.account_code === code)?.balance ?? 0);
		const netOf = (jurisdiction: string) =>
			report.rows
				.filter((r: { jurisdiction: string }) => r.jurisdiction === jurisdiction)
				.reduce((sum: number, r: { net_tax: number }) => sum + r.net_tax, 0);
		expect(report.totals).toEqual([
			{ currency: "EUR", jurisdiction: "DE", net_tax: 2025, adjustments: 0, tax_payable_movement: 2025 },
			{ currency: "EUR", jurisdiction: "FR", net_tax: 4000, adjustments: -40, tax_payable_movement: 3960 },
		]);
		for (const total of report.totals) {
			expect(total.net_tax).toBe(netOf(total.jurisdiction));
			expect(total.tax_payable_movement).toBe(payable(`2200-${total.jurisdiction}`));
		}

		const csv = await api(job.result.csv_url, { key });
		expect(csv.status).toBe(200);
		expect(csv.headers.get("content-type")).toContain("text/csv");
		expect(csv.text.split("\r\n")).toEqual([
			"currency,jurisdiction,category,rate,taxable_base,tax_charged,credit_note_base,credit_note_tax,net_taxable_base,net_tax",
			"EUR,DE,S,7,5000,350,500,35,4500,315",
			"EUR,DE,S,19,10000,1900,1000,190,9000,1710",
			"EUR,FR,S,20,20000,4000,0,0,20000,4000",
			"EUR,FR,Z,0,3000,0,0,0,3000,0",
			"",
		]);
	});

	it("narrows to one jurisdiction, and a period without entries is empty", async () => {
		const { key } = await booksOfThePeriod();
		const { report } = await runReport(key, `from=${today()}&to=${today()}&jurisdiction=FR`);
		expect(report.rows.map((r: { jurisdiction: string }) => r.jurisdiction)).toEqual(["FR", "FR"]);
		expect(report.jurisdiction).toBe("FR");
		const empty = await runReport(key, "from=2020-01-01&to=2020-12-31");
		expect(empty.report).toMatchObject({ rows: [], oss_return: [], period: { from: "2020-01-01", to: "2020-12-31" } });
	});

	it("refuses a bad period or jurisdiction, naming the field; another tenant's report is not found", async () => {
		const { key } = await germanSeller();
		const backwards = expectProblem(
			await api("/v1/billing/tax/reports?from=2026-02-01&to=2026-01-01", { key }),
			422,
			"validation_failed",
		);
		expect(fieldsOf(backwards)).toContain("query:to");
		const missing = expectProblem(
			await api("/v1/billing/tax/reports?to=2026-01-01", { key }),
			422,
			"validation_failed",
		);
		expect(fieldsOf(missing)).toContain("query:from");
		const badPlace = expectProblem(
			await api("/v1/billing/tax/reports?from=2026-01-01&to=2026-01-31&jurisdiction=germany", { key }),
			422,
			"validation_failed",
		);
		expect(fieldsOf(badPlace)).toContain("query:jurisdiction");
		const { job } = await runReport(key, "from=2026-01-01&to=2026-01-31");
		const other = await newTenant();
		expectProblem(await api(job.result.csv_url, { key: other.key }), 404, "not_found");
		expectProblem(await api(job.result_url, { key: other.key }), 404, "not_found");
	});
});
