import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderExport } from "../../src/domain/accountingExport";
import { api, expectProblem, newCustomer, newTenant, waitForJob } from "../helpers/api";
import { newInvoice } from "../helpers/invoices";
import { pay } from "../helpers/payments";

afterEach(() => vi.restoreAllMocks());

const start = async (key: string, path: string, body?: unknown) => {
	const res = await api(path, { key, method: "POST", ...(body ? { body } : {}) });
	expect(res.status).toBe(202);
	return waitForJob(key, res.body.id);
};

describe("GL reconciliation", () => {
	it("finds AR in balance with open receivables, and reports a difference when they part", async () => {
		const { key, tenantId } = await newTenant();
		const customer = await newCustomer(key);
		await newInvoice(key, customer.id, { finalize: true, items: [{ description: "x", unit_price: 1000 }] });
		await pay(key, { customer_id: customer.id, amount: 400 });
		const ok = await start(key, "/v1/billing/reconcile/gl");
		expect(ok.result).toMatchObject({ account_code: "1100", in_balance: true, differences: [] });
		// An invoice changed behind the ledger's back makes the books disagree.
		await env.DB.prepare(
			"update invoices set balance = balance - 1, amount_written_off = amount_written_off + 1, version = version + 1 where tenant_id = ?",
		)
			.bind(tenantId)
			.run();
		const off = await start(key, "/v1/billing/reconcile/gl");
		expect(off.result.in_balance).toBe(false);
		expect(off.result.differences).toEqual([
			{ customer_id: customer.id, currency: "EUR", ledger_ar: 600, open_receivables: 599, difference: 1 },
		]);
	});
});

describe("accounting exports", () => {
	const lines = [
		{
			entryId: "jrnl_1",
			entryDate: "2026-01-31",
			description: "Invoice INV-2026-0001 issued",
			sourceType: "invoice",
			sourceId: "inv_1",
			customerId: "cus_1",
			currency: "EUR",
			accountCode: "1100",
			accountName: "Accounts receivable",
			debit: 11900,
			credit: 0,
			lineDescription: null,
		},
		{
			entryId: "jrnl_1",
			entryDate: "2026-01-31",
			description: "Invoice INV-2026-0001 issued",
			sourceType: "invoice",
			sourceId: "inv_1",
			customerId: "cus_1",
			currency: "EUR",
			accountCode: "4000",
			accountName: "Sales revenue",
			debit: 0,
			credit: 10000,
			lineDescription: null,
		},
		{
			entryId: "jrnl_1",
			entryDate: "2026-01-31",
			description: "Invoice INV-2026-0001 issued",
			sourceType: "invoice",
			sourceId: "inv_1",
			customerId: "cus_1",
			currency: "EUR",
			accountCode: "2200-DE",
			accountName: "Tax payable (DE)",
			debit: 0,
			credit: 1900,
			lineDescription: 'VAT, "standard"',
		},
	];

	it("renders each format's columns on a known data set", () => {
		expect(renderExport("csv", lines).split("\r\n").slice(0, 2)).toEqual([
			"entry_id,entry_date,source_type,source_id,customer_id,currency,account_code,account_name,debit,credit,description",
			"jrnl_1,2026-01-31,invoice,inv_1,cus_1,EUR,1100,Accounts receivable,119.00,0.00,Invoice INV-2026-0001 issued",
		]);
		expect(renderExport("xero", lines, { taxRate: "BAS Excluded" }).split("\r\n").slice(0, 4)).toEqual([
			"*Narration,*Date,Description,*AccountCode,*TaxRate,*Amount,TrackingName1,TrackingOption1,TrackingName2,TrackingOption2",
			"Invoice INV-2026-0001 issued (jrnl_1),31/01/2026,,1100,BAS Excluded,119.00,,,,",
			"Invoice INV-2026-0001 issued (jrnl_1),31/01/2026,,4000,BAS Excluded,-100.00,,,,",
			'Invoice INV-2026-0001 issued (jrnl_1),31/01/2026,"VAT, ""standard""",2200-DE,BAS Excluded,-19.00,,,,',
		]);
		expect(
			renderExport("qbo", lines, { accountNames: { "2200-DE": "VAT Payable:Germany" } })
				.split("\r\n")
				.slice(0, 4),
		).toEqual([
			"Journal No.,Journal Date,Currency,Memo,Account Name,Debits,Credits,Description,Name",
			"1,01/31/2026,EUR,Invoice INV-2026-0001 issued (jrnl_1),Accounts receivable,119.00,,,cus_1",
			"1,01/31/2026,EUR,Invoice INV-2026-0001 issued (jrnl_1),Sales revenue,,100.00,,cus_1",
			'1,01/31/2026,EUR,Invoice INV-2026-0001 issued (jrnl_1),VAT Payable:Germany,,19.00,"VAT, ""standard""",cus_1',
		]);
	});

	it("writes the date range's journals to R2 and links the download", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		await newInvoice(key, customer.id, {
			finalize: true,
			issue_date: "2026-01-15",
			items: [{ description: "x", unit_price: 1000 }],
		});
		await newInvoice(key, customer.id, {
			finalize: true,
			issue_date: "2026-03-15",
			items: [{ description: "y", unit_price: 2000 }],
		});
		const job = await start(key, "/v1/billing/exports/accounting", {
			format: "xero",
			date_range: { from: "2026-01-01", to: "2026-01-31" },
		});
		expect(job).toMatchObject({ status: "succeeded", result: { format: "xero", entries: 1, lines: 2 } });
		const exported = await api(`/v1/billing/exports/accounting/${job.id}`, { key });
		expect(exported.body.result_url).toBe(`/v1/billing/exports/accounting/${job.id}/download`);
		const file = await api(exported.body.result_url, { key });
		expect(file.headers.get("content-type")).toMatch(/^text\/csv/);
		expect(file.text.split("\r\n").filter(Boolean)).toHaveLength(3);
		expect(file.text).toContain("15/01/2026");
		const bad = await api("/v1/billing/exports/accounting", {
			key,
			body: { format: "sage", date_range: { from: "2026-01-01", to: "2026-01-31" } },
		});
		expect(expectProblem(bad, 422, "validation_failed").errors[0].field).toBe("format");
		const backwards = await api("/v1/billing/exports/accounting", {
			key,
			body: { format: "csv", date_range: { from: "2026-02-01", to: "2026-01-31" } },
		});
		expect(expectProblem(backwards, 422, "validation_failed").errors[0].field).toBe("date_range.to");
	});

	it("writes an export under the tenant's R2 prefix it names, and refuses destinations elsewhere", async () => {
		const { key, tenantId } = await newTenant();
		const customer = await newCustomer(key);
		await newInvoice(key, customer.id, {
			finalize: true,
			issue_date: "2026-01-15",
			items: [{ description: "x", unit_price: 1000 }],
		});
		const range = { from: "2026-01-01", to: "2026-01-31" };
		const job = await start(key, "/v1/billing/exports/accounting", {
			format: "csv",
			date_range: range,
			destination: "r2://finance/2026-01/",
		});
		expect(job.status).toBe("succeeded");
		const stored = await env.FILES.get(`${tenantId}/finance/2026-01/${job.id}.csv.csv`);
		expect(stored).not.toBeNull();
		const download = await api(`/v1/billing/exports/accounting/${job.id}/download`, { key });
		expect(download.status).toBe(200);
		expect(download.text).toBe(await stored?.text());
		expect(download.text.split("\r\n").filter(Boolean)).toHaveLength(3);

		for (const destination of [
			"s3://bucket/exports/",
			"https://erp.example/upload",
			"/absolute",
			"finance/../../other",
		]) {
			const refused = await api("/v1/billing/exports/accounting", {
				key,
				body: { format: "csv", date_range: range, destination },
			});
			expect(expectProblem(refused, 422, "validation_failed").errors[0].field).toBe("destination");
		}
		// Another tenant neither sees the export nor downloads its file.
		const other = await newTenant();
		expect((await api(`/v1/billing/exports/accounting/${job.id}/download`, { key: other.key })).status).toBe(404);
	});
});

describe("ledger sync", () => {
	it("pushes unsynced journals in signed batches, once each, resuming after a failure", async () => {
		const { key } = await newTenant();
		const notConfigured = await api("/v1/billing/ledger/sync", { key, method: "POST" });
		const refusal = expectProblem(notConfigured, 409, "invalid_state");
		expect(refusal).toMatchObject({ setting: "erp_webhook_url", detail: expect.stringContaining("erp_webhook_url") });
		const jobs = await api("/v1/billing/jobs?type=ledger_sync", { key });
		expect(jobs.status).toBe(200);
		expect(jobs.body.data).toEqual([]);
		const settings = await api("/v1/billing/settings", {
			key,
			method: "PATCH",
			body: { erp_webhook_url: "https://erp.example.com/journals" },
		});
		expect(settings.body.erp_webhook_secret).toMatch(/^whsec_/);
		expectProblem(
			await api("/v1/billing/settings", { key, method: "PATCH", body: { erp_webhook_url: "https://10.0.0.5/x" } }),
			422,
			"validation_failed",
		);
		const customer = await newCustomer(key);
		await newInvoice(key, customer.id, { finalize: true, items: [{ description: "x", unit_price: 1000 }] });

		const received: string[][] = [];
		let down = true;
		vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
			const body = JSON.parse(await new Request(input as RequestInfo, init).text());
			if (down) return new Response(null, { status: 503 });
			received.push(body.data.entries.map((e: { id: string }) => e.id));
			return new Response(null, { status: 200 });
		});
		const failed = await start(key, "/v1/billing/ledger/sync");
		expect(failed).toMatchObject({ status: "failed", result: { synced: 0 } });
		down = false;
		const first = await start(key, "/v1/billing/ledger/sync");
		expect(first).toMatchObject({ status: "succeeded", result: { synced: 1 } });
		await pay(key, { customer_id: customer.id, amount: 1000 });
		const second = await start(key, "/v1/billing/ledger/sync");
		expect(second.result.synced).toBe(1);
		const third = await start(key, "/v1/billing/ledger/sync");
		expect(third.result.synced).toBe(0);
		expect(received.flat()).toHaveLength(2);
		expect(new Set(received.flat()).size).toBe(2);
	});
});
