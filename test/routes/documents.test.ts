import { createExecutionContext, createMessageBatch, env, getQueueResult, SELF } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { consumeJobs } from "../../queues/jobs";
import { consumeWebhooks } from "../../queues/webhooks";
import { api, expectProblem, newCustomer, newTenant } from "../helpers/api";
import { newInvoice } from "../helpers/invoices";
import { pdfPages } from "../helpers/pdfText";

async function download(path: string, key: string, headers: Record<string, string> = {}) {
	const response = await SELF.fetch(`https://billing.test${path}`, {
		headers: { authorization: `Bearer ${key}`, ...headers },
	});
	return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
}

async function sha256(bytes: Uint8Array) {
	const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
	return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function issuedInvoice() {
	const tenant = await newTenant();
	const customer = await newCustomer(tenant.key, {
		name: "Łódź Müller Ørsted Ελλάδα Москва",
		email: "ap@example.com",
		tax_id: "PL1234567890",
		billing_address: { line1: "ul. Piotrkowska 1", city: "Łódź", postal_code: "90-001", country: "PL" },
	});
	const invoice = await newInvoice(tenant.key, customer.id, { finalize: true });
	return { ...tenant, customer, invoice };
}

describe("invoice PDFs", () => {
	it("renders an issued invoice once, stores it, and streams the same file on every download", async () => {
		const { key, tenantId, invoice } = await issuedInvoice();
		const first = await download(`/v1/billing/invoices/${invoice.id}/pdf`, key);
		expect(first.response.status).toBe(200);
		expect(first.response.headers.get("content-type")).toBe("application/pdf");
		expect(first.response.headers.get("content-disposition")).toBe(`inline; filename="${invoice.number}.pdf"`);
		const digest = await sha256(first.bytes);
		expect(first.response.headers.get("etag")).toBe(`"${digest}"`);

		const text = (await pdfPages(first.bytes)).join("\n");
		expect(text).toContain("Łódź Müller Ørsted Ελλάδα Москва");
		expect(text).toContain("Tax ID: PL1234567890");
		expect(text).toContain(invoice.number);
		expect(text).toContain("Balance due");

		const again = await download(`/v1/billing/invoices/${invoice.id}/pdf`, key);
		expect(await sha256(again.bytes)).toBe(digest);
		const cached = await download(`/v1/billing/invoices/${invoice.id}/pdf`, key, { "if-none-match": `"${digest}"` });
		expect(cached.response.status).toBe(304);

		const stored = await env.FILES.head(`tenants/${tenantId}/documents/invoice/${invoice.id}.pdf`);
		expect(stored?.customMetadata?.sha256).toBe(digest);

		const read = await api(`/v1/billing/invoices/${invoice.id}`, { key });
		expect(read.body.attachments).toEqual([
			expect.objectContaining({
				kind: "invoice_pdf",
				content_type: "application/pdf",
				size: first.bytes.byteLength,
				sha256: digest,
				url: `/v1/billing/invoices/${invoice.id}/pdf`,
			}),
		]);
	});

	it("stores one file when the first downloads race", async () => {
		const { key, tenantId, invoice } = await issuedInvoice();
		const downloads = await Promise.all(
			Array.from({ length: 4 }, () => download(`/v1/billing/invoices/${invoice.id}/pdf`, key)),
		);
		const digests = new Set(await Promise.all(downloads.map((d) => sha256(d.bytes))));
		expect(downloads.map((d) => d.response.status)).toEqual([200, 200, 200, 200]);
		expect(digests.size).toBe(1);
		const rows = await env.DB.prepare("select sha256 from documents where tenant_id = ? and source_id = ?")
			.bind(tenantId, invoice.id)
			.all();
		expect(rows.results).toEqual([{ sha256: [...digests][0] }]);
	});

	it("renders a draft on every request, watermarked and never stored", async () => {
		const { key, tenantId } = await newTenant();
		const customer = await newCustomer(key);
		const draft = await newInvoice(key, customer.id);
		const { response, bytes } = await download(`/v1/billing/invoices/${draft.id}/pdf`, key);
		expect(response.status).toBe(200);
		expect(response.headers.get("etag")).toBeNull();
		expect(response.headers.get("cache-control")).toBe("no-store");
		expect((await pdfPages(bytes)).join("\n")).toContain("DRAFT");
		expect(await env.FILES.head(`tenants/${tenantId}/documents/invoice/${draft.id}.pdf`)).toBeNull();
		expect((await api(`/v1/billing/invoices/${draft.id}`, { key })).body.attachments).toEqual([]);
	});

	it("answers 404 for another tenant's invoice", async () => {
		const { invoice } = await issuedInvoice();
		const other = await newTenant();
		const { response } = await download(`/v1/billing/invoices/${invoice.id}/pdf`, other.key);
		expect(response.status).toBe(404);
	});
});

describe("credit note PDFs", () => {
	it("stores the credit note's PDF with what it corrects", async () => {
		const { key, invoice } = await issuedInvoice();
		const note = await api("/v1/billing/credit-notes", {
			key,
			body: { invoice_id: invoice.id, amount: 1190, reason: "Service outage" },
		});
		expect(note.status).toBe(201);
		const { response, bytes } = await download(`/v1/billing/credit-notes/${note.body.id}/pdf`, key);
		expect(response.status).toBe(200);
		expect(response.headers.get("etag")).toBe(`"${await sha256(bytes)}"`);
		const text = (await pdfPages(bytes)).join("\n");
		expect(text).toContain("Credit note");
		expect(text).toContain(note.body.number);
		expect(text).toContain(invoice.number);
		expect(text).toContain("Service outage");
	});
});

describe("the render_document job", () => {
	it("is asked for by the events that issue a document, whatever operation committed them", async () => {
		const { key, tenantId } = await newTenant();
		const customer = await newCustomer(key);
		const requestId = `req-issue-${tenantId}`;
		const created = await api("/v1/billing/invoices", {
			key,
			headers: { "x-request-id": requestId },
			body: {
				customer_id: customer.id,
				finalize: true,
				items: [{ description: "Plan", quantity: "1", unit_price: 1000 }],
			},
		});
		expect(created.status).toBe(201);
		const jobs = vi.spyOn(env.JOBS, "sendBatch");
		const batch = createMessageBatch("webhooks", [
			{
				id: "w1",
				timestamp: new Date(),
				attempts: 1,
				body: { v: 1, kind: "request", tenant_id: tenantId, request_id: requestId },
			},
		]);
		await consumeWebhooks(batch, env);
		const sent = jobs.mock.calls.flatMap(([messages]) => [...messages].map((m) => m.body));
		jobs.mockRestore();
		expect(sent).toEqual([
			{ v: 1, kind: "render_document", tenant_id: tenantId, document: "invoice", source_id: created.body.id },
		]);
	});

	async function consume(body: unknown) {
		const batch = createMessageBatch("jobs", [{ id: "m1", timestamp: new Date(), attempts: 1, body }]);
		const ctx = createExecutionContext();
		await consumeJobs(batch, env);
		return getQueueResult(batch, ctx);
	}

	it("stores an issued invoice's PDF, and acks a source that is gone", async () => {
		const { tenantId, invoice } = await issuedInvoice();
		const message = { v: 1, kind: "render_document", tenant_id: tenantId, document: "invoice", source_id: invoice.id };
		expect((await consume(message)).explicitAcks).toEqual(["m1"]);
		const row = await env.DB.prepare("select r2_key, size from documents where tenant_id = ? and source_id = ?")
			.bind(tenantId, invoice.id)
			.first<{ r2_key: string; size: number }>();
		expect((await env.FILES.head(row?.r2_key ?? ""))?.size).toBe(row?.size);
		// Delivered again: the stored file stays.
		expect((await consume(message)).explicitAcks).toEqual(["m1"]);
		const missing = await consume({ ...message, source_id: "inv_missing" });
		expect(missing.explicitAcks).toEqual(["m1"]);
		expect(missing.retryMessages).toEqual([]);
	});
});

const PNG_1X1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const LEGAL_PROFILE = {
	legal_name: "Ørsted Łódź Software GmbH",
	address_lines: ["Müllerstraße 1", "10115 Berlin", "Germany"],
	tax_id: "DE123456789",
	registration: "Amtsgericht Berlin HRB 12345",
	iban: "DE89 3704 0044 0532 0130 00",
	bic: "COBADEFFXXX",
	locale: "de-DE",
	email_from: "billing@example.com",
};

describe("the seller's legal profile and logo", () => {
	it("prints the legal profile, the logo, the tax breakdown, the notes and the payment instructions", async () => {
		const { key } = await newTenant();
		const settings = await api("/v1/billing/settings", {
			key,
			method: "PATCH",
			body: { legal_profile: LEGAL_PROFILE, logo: { content_type: "image/png", data: PNG_1X1 } },
		});
		expect(settings.status).toBe(200);
		expect(settings.body.legal_profile).toEqual({
			...LEGAL_PROFILE,
			electronic_address: null,
			company_id: null,
			contact: null,
			postal_address: null,
		});
		expect(settings.body.logo).toEqual({ content_type: "image/png", size: 70 });

		const customer = await newCustomer(key, { name: "Ελλάδα Москва AE", tax_id: "EL987654321" });
		const invoice = await newInvoice(key, customer.id, {
			finalize: true,
			memo: "Reverse charge: VAT to be accounted for by the recipient.",
		});
		const { bytes } = await download(`/v1/billing/invoices/${invoice.id}/pdf`, key);
		const text = (await pdfPages(bytes)).join("\n");
		for (const expected of [
			"Ørsted Łódź Software GmbH",
			"Müllerstraße 1",
			"Tax ID: DE123456789",
			"Amtsgericht Berlin HRB 12345",
			"Ελλάδα Москва AE",
			"Tax ID: EL987654321",
			"DE 19%",
			"Taxable amount",
			"Reverse charge",
			"IBAN: DE89 3704 0044 0532 0130 00",
			"BIC: COBADEFFXXX",
			`quoting ${invoice.number}`,
		]) {
			expect(text).toContain(expected);
		}
		// 2.5 × 120.00 − 10 % + 1 × 50.00 = 320.00 net, 60.80 tax, 380.80 total, in de-DE.
		expect(text).toContain("320,00 €");
		expect(text).toContain("60,80 €");
		expect(text).toContain("380,80 €");
		expect(new TextDecoder("latin1").decode(bytes)).toContain("/Subtype /Image");
	});

	it("refuses a logo that is not PNG or JPEG, or over 512 KB, naming the field", async () => {
		const { key } = await newTenant();
		const gif = btoa("GIF89a\u0001\u0000\u0001\u0000");
		const notImage = await api("/v1/billing/settings", {
			key,
			method: "PATCH",
			body: { logo: { content_type: "image/png", data: gif } },
		});
		expect(expectProblem(notImage, 422, "validation_failed").errors[0].field).toBe("logo.data");

		const big = new Uint8Array(512 * 1024 + 1);
		big.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
		let binary = "";
		for (const byte of big) binary += String.fromCharCode(byte);
		const tooBig = await api("/v1/billing/settings", {
			key,
			method: "PATCH",
			body: { logo: { content_type: "image/png", data: btoa(binary) } },
		});
		expect(expectProblem(tooBig, 422, "validation_failed").errors[0].field).toBe("logo.data");

		const wrongType = await api("/v1/billing/settings", {
			key,
			method: "PATCH",
			body: { logo: { content_type: "image/gif", data: PNG_1X1 } },
		});
		expect(wrongType.status).toBe(422);
	});
});
