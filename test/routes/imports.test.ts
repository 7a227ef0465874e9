import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, expectProblem, newCustomer, newKey, newRole, newTenant } from "../helpers/api";

/** Polls an import until it finishes (a 10,000-line import takes longer than waitForJob waits). */
async function waitForImport(key: string, id: string, seconds = 60) {
	const deadline = Date.now() + seconds * 1000;
	while (Date.now() < deadline) {
		const res = await api(`/v1/billing/imports/${id}`, { key });
		if (res.body.finished_at) return res.body;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`import ${id} did not finish`);
}

/** Uploads a file through a signed URL, as a browser without the API key would. */
async function upload(key: string, text: string, contentType = "text/csv") {
	const grant = await api("/v1/billing/uploads", { key, body: {} });
	expect(grant.status).toBe(201);
	const stored = await api(grant.body.upload_url, {
		method: "PUT",
		rawBody: text,
		headers: { "content-type": contentType },
	});
	expect(stored.status).toBe(201);
	expect(stored.body.key).toBe(grant.body.key);
	return grant.body.key as string;
}

async function startImport(key: string, body: Record<string, unknown>) {
	const res = await api("/v1/billing/imports", { key, body });
	expect(res.status).toBe(202);
	return res.body;
}

const reportOf = async (key: string, url: string) =>
	(await api(url, { key })).text
		.split("\n")
		.filter(Boolean)
		.map((line) => JSON.parse(line));

const ledgerAccount = async (key: string, code: string) => {
	const ledger = (await api("/v1/billing/ledger/balances", { key })).body;
	for (const total of ledger.totals) expect(total.debit).toBe(total.credit);
	return ledger.accounts.find((a: { account_code: string }) => a.account_code === code)?.balance ?? 0;
};

const csv = (rows: (string | number)[][]) => `${rows.map((row) => row.join(",")).join("\n")}\n`;

describe("payment imports", () => {
	it("imports 10,000 CSV payments across 100 accounts, reports bad lines, and a second run changes nothing", async () => {
		const { key } = await newTenant();
		// The accounts and their invoices arrive by import too: customers from CSV, invoices from NDJSON.
		const people = csv([["No", "Name"], ...Array.from({ length: 100 }, (_, i) => [`crm-${i}`, `Customer ${i}`])]);
		const made = await waitForImport(
			key,
			(
				await startImport(key, {
					type: "customers",
					data: people,
					format: "csv",
					mapping: { No: "external_id", Name: "name" },
				})
			).id,
		);
		expect(made.counts).toMatchObject({ created: 100, failed: 0 });
		const customers = (await api("/v1/billing/customers?limit=100", { key })).body.data;
		expect(customers).toHaveLength(100);
		const bills = customers.map((c: { id: string; external_id: string }) =>
			JSON.stringify({
				customer_id: c.id,
				external_id: `bill-${c.external_id}`,
				finalize: true,
				items: [{ description: "Plan", unit_price: 4300 }],
			}),
		);
		const billed = await waitForImport(key, (await startImport(key, { type: "invoices", data: bills.join("\n") })).id);
		expect(billed.counts).toMatchObject({ created: 100, failed: 0 });

		// Bad lines, by their line number in the file (the header is line 1).
		const bad = new Map<number, string[]>([
			[3, [customers[0].id, "abc", "pay-bad-3"]],
			[500, ["", "100", "pay-bad-500"]],
			[2001, ["cus_01JD3Q8W5Z9K2M4N6P8R0T2V4X", "100", "pay-bad-2001"]],
			[4000, [customers[5].id, "-5", "pay-bad-4000"]],
			// The external id of line 9's payment again: recorded already, so skipped.
			[7777, [customers[7].id, "100", "pay-7"]],
		]);
		const paid = new Map<string, number>();
		const rows: string[][] = [];
		for (let line = 2; line <= 10_001; line++) {
			const row = bad.get(line);
			if (row) {
				rows.push([row[0] as string, "EUR", row[1] as string, "SEPA", row[2] as string, "bank_transfer"]);
				continue;
			}
			const customer = customers[line % 100];
			const amount = 40 + (line % 7);
			paid.set(customer.id, (paid.get(customer.id) ?? 0) + amount);
			rows.push([customer.id, "EUR", String(amount), "SEPA", `pay-${line - 2}`, "bank_transfer"]);
		}
		const source = await upload(
			key,
			csv([["Kunde", "Währung", "Betrag", "Verwendungszweck", "Buchungs-ID", "Art"], ...rows]),
		);
		const body = {
			type: "payments",
			source,
			format: "csv",
			mapping: {
				Kunde: "customer_id",
				Währung: "currency",
				Betrag: "amount",
				Verwendungszweck: "reference",
				"Buchungs-ID": "external_id",
				Art: "payment_method",
			},
		};
		const started = await startImport(key, body);
		expect(started).toMatchObject({ object: "import", type: "payments", status: "queued", format: "csv", source });
		const done = await waitForImport(key, started.id, 600);
		expect(done.status).toBe("succeeded");
		expect(done.counts).toEqual({
			total: 10_000,
			processed: 10_000,
			created: 9_995,
			updated: 0,
			skipped: 1,
			failed: 4,
		});

		const report = await reportOf(key, done.error_report_url);
		expect(report.map((e: { line: number; field: string | null }) => [e.line, e.field])).toEqual([
			[3, "amount"],
			[500, "customer_id"],
			[2001, "customer_id"],
			[4000, "amount"],
		]);
		expect(report[2].message).toContain("cus_01JD3Q8W5Z9K2M4N6P8R0T2V4X");

		// Each account: its invoice paid down by its payments, the rest held as credit.
		const invoices = (await api("/v1/billing/invoices?limit=100", { key })).body.data;
		expect(invoices).toHaveLength(100);
		let open = 0;
		let credit = 0;
		let cash = 0;
		for (const invoice of invoices) {
			const total = paid.get(invoice.customer_id) ?? 0;
			expect(invoice.balance).toBe(Math.max(invoice.total - total, 0));
			open += invoice.balance;
			credit += Math.max(total - invoice.total, 0);
			cash += total;
		}
		expect(await ledgerAccount(key, "1100")).toBe(open);
		expect(await ledgerAccount(key, "1000")).toBe(cash);
		expect((await ledgerAccount(key, "2100")) + credit).toBe(0);
		expect(credit).toBeGreaterThan(0);

		// Refused lines raise payment.failed, one per line.
		const failed = await api("/v1/billing/events?type=payment.failed&limit=100", { key });
		expect(failed.body.data.map((e: { data: { object: { line: number } } }) => e.data.object.line).sort()).toEqual([
			2001, 3, 4000, 500,
		]);

		// The same file again: every payment is recorded already, so nothing changes.
		const again = await waitForImport(key, (await startImport(key, body)).id, 180);
		expect(again.counts).toMatchObject({ created: 0, updated: 0, skipped: 9_996, failed: 4 });
		expect(await ledgerAccount(key, "1000")).toBe(cash);
		expect(await ledgerAccount(key, "1100")).toBe(open);
		// Ten thousand payments committed in their accounts: minutes when the two cores are shared.
	}, 900_000);

	it("stops a canceled import at its next chunk, keeping and reporting what it recorded", async () => {
		const { key, tenantId } = await newTenant();
		const customers = await Promise.all(Array.from({ length: 4 }, (_, i) => newCustomer(key, { name: `C${i}` })));
		const lines = Array.from({ length: 4_000 }, (_, i) =>
			JSON.stringify({
				customer_id: customers[i % 4].id,
				currency: "EUR",
				amount: 100,
				payment_method: "cash",
				external_id: `cash-${i}`,
			}),
		);
		const started = await startImport(key, { type: "payments", data: lines.join("\n") });
		for (let attempt = 0; attempt < 400; attempt++) {
			const job = await api(`/v1/billing/imports/${started.id}`, { key });
			if (job.body.status === "running") break;
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
		const canceled = await api(`/v1/billing/jobs/${started.id}/cancel`, { key, method: "POST" });
		expect(canceled.status).toBe(200);
		expect(canceled.body.status).toBe("canceled");
		// The chunk under way finishes and is saved; nothing after it runs.
		const read = async () => (await api(`/v1/billing/imports/${started.id}`, { key })).body;
		let job = await read();
		for (let attempt = 0; attempt < 60; attempt++) {
			await new Promise((resolve) => setTimeout(resolve, 1_000));
			const later = await read();
			if (later.counts.processed > 0 && later.counts.processed === job.counts.processed) break;
			job = later;
		}
		expect(job.status).toBe("canceled");
		expect(job.counts.processed).toBeLessThan(4_000);
		expect(job.counts.processed % 1_000).toBe(0);
		const recorded = await env.DB.prepare("select count(*) as n from payments where tenant_id = ?")
			.bind(tenantId)
			.first<{ n: number }>();
		expect(job.counts.created).toBe(recorded?.n);
		expect(job.counts.created).toBe(job.counts.processed);
		expect(await ledgerAccount(key, "1000")).toBe(100 * job.counts.created);
	}, 120_000);
});

describe("uploads", () => {
	it("refuses an expired or altered upload URL, and another tenant's upload as a source", async () => {
		const { key, tenantId } = await newTenant();
		const grant = (await api("/v1/billing/uploads", { key, body: {} })).body;
		expect(grant.key.startsWith(`${tenantId}/uploads/`)).toBe(true);
		const url = new URL(grant.upload_url, "https://billing.test");

		const altered = new URL(url);
		altered.searchParams.set("expires", String(Number(url.searchParams.get("expires")) + 3600));
		const put = (target: URL) =>
			api(`${target.pathname}${target.search}`, {
				method: "PUT",
				rawBody: "a,b\n1,2\n",
				headers: { "content-type": "text/csv" },
			});
		expectProblem(await put(altered), 403, "forbidden");
		const otherTenant = new URL(url);
		otherTenant.searchParams.set("tenant", "ten_01JD3Q8W5Z9K2M4N6P8R0T2V4X");
		expectProblem(await put(otherTenant), 403, "forbidden");

		// A URL signed as the service signs, but past its expiry.
		const expires = Math.floor(Date.now() / 1000) - 60;
		const name = url.searchParams.get("name") as string;
		const hmacKey = await crypto.subtle.importKey(
			"raw",
			new TextEncoder().encode(env.SECRETS_KEY as string),
			{ name: "HMAC", hash: "SHA-256" },
			false,
			["sign"],
		);
		const signed = await crypto.subtle.sign(
			"HMAC",
			hmacKey,
			new TextEncoder().encode(`upload\n${tenantId}\n${tenantId}/uploads/${name}\n${expires}`),
		);
		const expired = new URL(url);
		expired.searchParams.set("expires", String(expires));
		expired.searchParams.set(
			"signature",
			[...new Uint8Array(signed)].map((b) => b.toString(16).padStart(2, "0")).join(""),
		);
		const refused = expectProblem(await put(expired), 403, "forbidden");
		expect(refused.detail).toContain("expired");
		expect(await env.FILES.head(grant.key)).toBeNull();

		// Without a signed URL, the API key uploads directly; without either, nothing is stored.
		expectProblem(await api("/v1/billing/uploads", { method: "PUT", rawBody: "x" }), 401, "unauthenticated");
		const direct = await api("/v1/billing/uploads", {
			key,
			method: "PUT",
			rawBody: "name,external_id\nAcme,acme\n",
			headers: { "content-type": "text/csv" },
		});
		expect(direct).toMatchObject({ status: 201, body: { object: "upload", size: 27, content_type: "text/csv" } });
		expect(direct.body.key.startsWith(`${tenantId}/uploads/upl_`)).toBe(true);

		// Another tenant can neither import this tenant's upload nor read its import.
		const other = await newTenant();
		const stolen = await api("/v1/billing/imports", {
			key: other.key,
			body: { type: "customers", source: direct.body.key, format: "csv" },
		});
		expect(expectProblem(stolen, 422, "validation_failed").errors[0].field).toBe("source");
		const mine = await startImport(key, { type: "customers", source: direct.body.key, format: "csv" });
		expect((await api(`/v1/billing/imports/${mine.id}`, { key: other.key })).status).toBe(404);
		expect((await waitForImport(key, mine.id)).counts).toMatchObject({ created: 1, failed: 0 });
	});
});

describe("customer and journal imports", () => {
	it("creates customers, updates them by external id, skips what did not change, and names bad fields", async () => {
		const { key } = await newTenant();
		const mapping = {
			"Customer No": "external_id",
			Company: "name",
			Country: "billing_address.country",
			Mail: "email",
		};
		const first = csv([
			["Customer No", "Company", "Country", "Mail", "Notes"],
			["K-1", '"Müller, Söhne & Co"', "DE", "info@mueller.example", "first"],
			["K-2", "Acme", "FR", "not-an-email", "bad mail"],
			["K-3", "Globex", "US", "", "no mail"],
		]);
		const done = await waitForImport(
			key,
			(await startImport(key, { type: "customers", data: first, format: "csv", mapping })).id,
		);
		expect(done.counts).toMatchObject({ created: 2, updated: 0, skipped: 0, failed: 1 });
		expect(done.errors).toEqual([expect.objectContaining({ line: 3, field: "email" })]);
		const list = (await api("/v1/billing/customers?limit=10", { key })).body.data;
		const mueller = list.find((c: { external_id: string }) => c.external_id === "K-1");
		expect(mueller).toMatchObject({ name: "Müller, Söhne & Co", billing_address: { country: "DE" } });

		const rerun = await waitForImport(
			key,
			(await startImport(key, { type: "customers", data: first, format: "csv", mapping })).id,
		);
		expect(rerun.counts).toMatchObject({ created: 0, updated: 0, skipped: 2, failed: 1 });

		const changed = first.replace("Globex", "Globex Corp");
		const third = await waitForImport(
			key,
			(await startImport(key, { type: "customers", data: changed, format: "csv", mapping })).id,
		);
		expect(third.counts).toMatchObject({ created: 0, updated: 1, skipped: 1, failed: 1 });
		const globex = (await api("/v1/billing/customers?limit=10", { key })).body.data.find(
			(c: { external_id: string }) => c.external_id === "K-3",
		);
		expect(globex).toMatchObject({ name: "Globex Corp", version: 2 });

		// replace clears what the record leaves out: K-1 loses its email.
		const replaced = await waitForImport(
			key,
			(
				await startImport(key, {
					type: "customers",
					data: `${JSON.stringify({ external_id: "K-1", name: "Müller, Söhne & Co", billing_address: { country: "DE" } })}\n`,
					mode: "replace",
				})
			).id,
		);
		expect(replaced.counts).toMatchObject({ updated: 1 });
		expect((await api(`/v1/billing/customers/${mueller.id}`, { key })).body.email).toBeNull();
	});

	it("posts balanced journals, reports an unbalanced one by its first line, and skips them on a re-run", async () => {
		const { key } = await newTenant();
		const file = csv([
			["external_id", "date", "currency", "description", "account_code", "debit", "credit", "line_description"],
			["J-1", "2026-11-01", "EUR", "Accrual", "1100", "5000", "0", "receivable"],
			["J-1", "", "", "", "4000", "0", "5000", "revenue"],
			["J-2", "2026-11-02", "EUR", "Broken", "1100", "700", "0", ""],
			["J-2", "", "", "", "4000", "0", "600", ""],
			["J-3", "2026-11-03", "EUR", "Fees", "1000", "250", "0", ""],
			["J-3", "", "", "", "4000", "0", "250", ""],
		]);
		const done = await waitForImport(key, (await startImport(key, { type: "journals", data: file, format: "csv" })).id);
		expect(done.counts).toMatchObject({ total: 3, created: 2, skipped: 0, failed: 1 });
		const report = await reportOf(key, done.error_report_url);
		expect(report).toEqual([expect.objectContaining({ line: 4, field: "entries", code: "validation_failed" })]);
		expect(report[0].message).toContain("differ");
		expect(await ledgerAccount(key, "1100")).toBe(5000);

		const rerun = await waitForImport(
			key,
			(await startImport(key, { type: "journals", data: file, format: "csv" })).id,
		);
		expect(rerun.counts).toMatchObject({ created: 0, skipped: 2, failed: 1 });
		expect(await ledgerAccount(key, "1100")).toBe(5000);
	});
});

describe("import requests", () => {
	it("names the field of a bad mapping, a mapped column missing from the file, and a missing source", async () => {
		const { key } = await newTenant();
		const unknownField = await api("/v1/billing/imports", {
			key,
			body: { type: "payments", data: "a,b\n", format: "csv", mapping: { Amount: "amout" } },
		});
		expect(expectProblem(unknownField, 422, "validation_failed").errors[0].field).toBe("mapping.Amount");

		const missingColumn = await startImport(key, {
			type: "payments",
			data: "customer,amount\ncus_x,1\n",
			format: "csv",
			mapping: { Betrag: "amount" },
		});
		const failed = await waitForImport(key, missingColumn.id);
		expect(failed.status).toBe("failed");
		expect(failed.errors[0]).toMatchObject({ line: 1, field: "mapping.Betrag" });

		const neither = await api("/v1/billing/imports", { key, body: { type: "payments" } });
		expect(expectProblem(neither, 422, "validation_failed").errors[0].field).toBe("source");
		const missing = await api("/v1/billing/imports", {
			key,
			body: { type: "payments", source: "ten_x/uploads/nothing" },
		});
		expect(expectProblem(missing, 422, "validation_failed").errors[0].field).toBe("source");
	});

	it("needs the permission to write what it imports", async () => {
		const { key } = await newTenant();
		await newRole(key, "payments_importer", ["jobs:read", "jobs:write", "payments:write"]);
		const importer = await newKey(key, "payments_importer");
		const refused = await api("/v1/billing/imports", {
			key: importer.secret,
			body: { type: "journals", data: "{}\n" },
		});
		expect(expectProblem(refused, 403, "forbidden").required_permission).toBe("ledger:write");
		const allowed = await api("/v1/billing/imports", {
			key: importer.secret,
			body: { type: "payments", data: "{}\n" },
		});
		expect(allowed.status).toBe(202);
	});
});
