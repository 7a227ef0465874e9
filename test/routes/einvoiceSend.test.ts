import { createMessageBatch, env } from "cloudflare:test";
import { describe, expect, inject, it, vi } from "vitest";
import { consumeJobs } from "../../queues/jobs";
import { AP_TOKEN_FLAKY, AP_TOKEN_OK, AP_TOKEN_REJECT } from "../fakes/peppolAccessPoint";
import { api, expectProblem, newTenant } from "../helpers/api";
import { AUTHORITY, issuedInvoice, SELLER_PROFILE } from "../helpers/einvoice";

type Received = { idempotency_key: string | null; content_type: string; format: string; body: string; id: string };

const accessPointUrl = () => inject("accessPointUrl");
const received = async () => (await (await fetch(`${accessPointUrl()}/received`)).json()) as Received[];

async function configureAccessPoint(key: string, token: string) {
	const res = await api("/v1/billing/einvoice/access-point", { key, body: { endpoint: accessPointUrl(), token } });
	expect(res.status).toBe(200);
	return res;
}

/** Runs the submission's queued attempt as the jobs queue would (the queue may also have run it already). */
async function runAttempt(tenantId: string, submissionId: string) {
	const body = { v: 1, kind: "submit_einvoice", tenant_id: tenantId, submission_id: submissionId };
	await consumeJobs(createMessageBatch("jobs", [{ id: "m1", timestamp: new Date(), attempts: 1, body }]), env);
}

async function submissions(key: string, invoiceId: string) {
	const res = await api(`/v1/billing/invoices/${invoiceId}/e-invoice/submissions`, { key });
	expect(res.status).toBe(200);
	return res.body.data;
}

describe("the Peppol access point", () => {
	it("is configured with an endpoint and a token that is stored sealed and never shown", async () => {
		const { key, tenantId } = await newTenant();
		expectProblem(await api("/v1/billing/einvoice/access-point", { key }), 404, "not_found");
		const set = await configureAccessPoint(key, AP_TOKEN_OK);
		expect(set.body).toEqual({ object: "einvoice_access_point", endpoint: accessPointUrl(), token_configured: true });
		const read = await api("/v1/billing/einvoice/access-point", { key });
		expect(read.body).toEqual(set.body);
		expect(read.text).not.toContain(AP_TOKEN_OK);
		const stored = await env.DB.prepare("select einvoice_access_point from tenants where id = ?")
			.bind(tenantId)
			.first();
		expect(JSON.stringify(stored)).not.toContain(AP_TOKEN_OK);
		const bad = await api("/v1/billing/einvoice/access-point", {
			key,
			body: { endpoint: "ftp://ap.example", token: "x" },
		});
		expectProblem(bad, 422, "validation_failed");
	});
});

describe("POST /invoices/{id}/e-invoice/send", () => {
	it("queues one submission per invoice and format, which the jobs queue sends to the access point", async () => {
		const { key, tenantId, invoice } = await issuedInvoice();
		await configureAccessPoint(key, AP_TOKEN_OK);
		const sent = await api(`/v1/billing/invoices/${invoice.id}/e-invoice/send`, { key, body: { format: "xrechnung" } });
		expect(sent.status).toBe(202);
		expect(sent.body).toMatchObject({
			object: "einvoice_submission",
			source_type: "invoice",
			source_id: invoice.id,
			format: "xrechnung",
		});
		await runAttempt(tenantId, sent.body.id);
		await vi.waitFor(async () => expect((await submissions(key, invoice.id))[0]?.status).toBe("sent"));
		const [submission] = await submissions(key, invoice.id);
		const documents = (await received()).filter((r) => r.idempotency_key === sent.body.id);
		expect(documents).toHaveLength(1);
		expect(submission).toMatchObject({ status: "sent", provider_id: documents[0]?.id, attempts: 1, errors: [] });
		expect(documents[0]?.content_type).toBe("application/xml");
		expect(documents[0]?.body).toContain("urn:xeinkauf.de:kosit:xrechnung_3.0");
		expect(documents[0]?.body).toContain(`<cbc:ID>${invoice.number}</cbc:ID>`);

		// Asked again, concurrently: the same submission, nothing sent twice.
		const again = await Promise.all(
			[1, 2].map(() =>
				api(`/v1/billing/invoices/${invoice.id}/e-invoice/send`, { key, body: { format: "xrechnung" } }),
			),
		);
		expect(again.map((r) => [r.status, r.body.id])).toEqual([
			[202, sent.body.id],
			[202, sent.body.id],
		]);
		await runAttempt(tenantId, sent.body.id);
		expect((await received()).filter((r) => r.idempotency_key === sent.body.id)).toHaveLength(1);
		// Another format is another submission.
		const ubl = await api(`/v1/billing/invoices/${invoice.id}/e-invoice/send`, { key, body: { format: "ubl" } });
		expect(ubl.body.id).not.toBe(sent.body.id);
		expect(await submissions(key, invoice.id)).toHaveLength(2);
	});

	it("retries what the access point fails with 500, and sends it on a later attempt", async () => {
		const { key, tenantId, invoice } = await issuedInvoice();
		await configureAccessPoint(key, AP_TOKEN_FLAKY);
		const sent = await api(`/v1/billing/invoices/${invoice.id}/e-invoice/send`, { key, body: { format: "ubl" } });
		expect(sent.status).toBe(202);
		await runAttempt(tenantId, sent.body.id);
		await vi.waitFor(async () => {
			await runAttempt(tenantId, sent.body.id);
			expect((await submissions(key, invoice.id))[0]?.status).toBe("sent");
		});
		const [submission] = await submissions(key, invoice.id);
		expect(submission.attempts).toBeGreaterThanOrEqual(2);
		expect(submission.errors[0]).toMatch(/^answered 500/);
		expect(submission.provider_id).toMatch(/^apdoc_/);
		expect((await received()).filter((r) => r.idempotency_key === sent.body.id)).toHaveLength(1);
	});

	it("fails a submission the access point refuses (4xx), with its error, without retrying", async () => {
		const { key, tenantId, invoice } = await issuedInvoice();
		await configureAccessPoint(key, AP_TOKEN_REJECT);
		const sent = await api(`/v1/billing/invoices/${invoice.id}/e-invoice/send`, { key, body: { format: "ubl" } });
		await runAttempt(tenantId, sent.body.id);
		await vi.waitFor(async () => expect((await submissions(key, invoice.id))[0]?.status).toBe("failed"));
		const [submission] = await submissions(key, invoice.id);
		expect(submission).toMatchObject({ status: "failed", provider_id: null, attempts: 1 });
		expect(submission.errors).toEqual([expect.stringMatching(/^answered 422: .*PEPPOL-COMMON-R043/)]);
		await runAttempt(tenantId, sent.body.id);
		expect((await submissions(key, invoice.id))[0].attempts).toBe(1);
	});

	it("refuses without an access point (409), a draft (409), a PDF format (422) and another tenant (404)", async () => {
		const { key, customer, invoice } = await issuedInvoice();
		expectProblem(
			await api(`/v1/billing/invoices/${invoice.id}/e-invoice/send`, { key, body: { format: "ubl" } }),
			409,
			"invalid_state",
		);
		await configureAccessPoint(key, AP_TOKEN_OK);
		const draft = await api("/v1/billing/invoices", {
			key,
			body: { customer_id: customer.id, items: [{ description: "x", unit_price: 100 }] },
		});
		expectProblem(
			await api(`/v1/billing/invoices/${draft.body.id}/e-invoice/send`, { key, body: {} }),
			409,
			"invalid_state",
		);
		expectProblem(
			await api(`/v1/billing/invoices/${invoice.id}/e-invoice/send`, { key, body: { format: "facturx" } }),
			422,
			"validation_failed",
		);
		const other = await newTenant();
		expectProblem(
			await api(`/v1/billing/invoices/${invoice.id}/e-invoice/send`, { key: other.key, body: { format: "ubl" } }),
			404,
			"not_found",
		);
		expectProblem(
			await api(`/v1/billing/invoices/${invoice.id}/e-invoice/submissions`, { key: other.key }),
			404,
			"not_found",
		);
		expect(await submissions(key, invoice.id)).toEqual([]);
	});
});

describe("POST /credit-notes/{id}/e-invoice/send", () => {
	async function creditNoteOf(key: string, invoiceId: string, applied = true) {
		const note = await api("/v1/billing/credit-notes", {
			key,
			body: { invoice_id: invoiceId, amount: 1190, reason: "Returned handbook", apply_to_invoice: applied },
		});
		expect(note.status).toBe(201);
		return note.body;
	}

	const creditNoteSubmissions = async (key: string, id: string) => {
		const res = await api(`/v1/billing/credit-notes/${id}/e-invoice/submissions`, { key });
		expect(res.status).toBe(200);
		return res.body.data;
	};

	it("sends the credit note in its customer's preferred format, once per format, replaying a retried request", async () => {
		const { key, tenantId, invoice } = await issuedInvoice();
		await configureAccessPoint(key, AP_TOKEN_OK);
		const note = await creditNoteOf(key, invoice.id);
		const headers = { "idempotency-key": `cn-einvoice-${note.id}` };
		// The authority prefers XRechnung: a send that names no format takes it.
		const sent = await api(`/v1/billing/credit-notes/${note.id}/e-invoice/send`, { key, method: "POST", headers });
		expect(sent.status).toBe(202);
		expect(sent.body).toMatchObject({
			object: "einvoice_submission",
			source_type: "credit_note",
			source_id: note.id,
			format: "xrechnung",
			status: "queued",
		});
		const replay = await api(`/v1/billing/credit-notes/${note.id}/e-invoice/send`, { key, method: "POST", headers });
		expect(replay.status).toBe(202);
		expect(replay.headers.get("idempotent-replayed")).toBe("true");
		expect(replay.body.id).toBe(sent.body.id);

		await runAttempt(tenantId, sent.body.id);
		await vi.waitFor(async () => expect((await creditNoteSubmissions(key, note.id))[0]?.status).toBe("sent"));
		const documents = (await received()).filter((r) => r.idempotency_key === sent.body.id);
		expect(documents).toHaveLength(1);
		expect(documents[0]?.format).toBe("xrechnung");
		// A UBL CreditNote (type 381) that names the invoice it corrects (BT-25).
		expect(documents[0]?.body).toContain("<CreditNote ");
		expect(documents[0]?.body).toContain("<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>");
		expect(documents[0]?.body).toMatch(
			new RegExp(`<cac:BillingReference>\\s*<cac:InvoiceDocumentReference>\\s*<cbc:ID>${invoice.number}</cbc:ID>`),
		);

		// Sent again without a key: the same submission. `?format=` picks another format: another submission.
		const again = await api(`/v1/billing/credit-notes/${note.id}/e-invoice/send`, { key, method: "POST" });
		expect(again.body.id).toBe(sent.body.id);
		const ubl = await api(`/v1/billing/credit-notes/${note.id}/e-invoice/send?format=ubl`, { key, method: "POST" });
		expect(ubl.status).toBe(202);
		expect(ubl.body).toMatchObject({ format: "ubl", source_type: "credit_note" });
		expect(ubl.body.id).not.toBe(sent.body.id);
		// The body's format wins over the query's.
		const cii = await api(`/v1/billing/credit-notes/${note.id}/e-invoice/send?format=ubl`, {
			key,
			body: { format: "cii" },
		});
		expect(cii.body.format).toBe("cii");
		expect((await creditNoteSubmissions(key, note.id)).map((s: { format: string }) => s.format)).toEqual([
			"xrechnung",
			"ubl",
			"cii",
		]);
		// The invoice's own submissions are apart.
		expect(await submissions(key, invoice.id)).toEqual([]);
		// The files sent are stored once and listed on the credit note.
		const read = await api(`/v1/billing/credit-notes/${note.id}`, { key });
		expect(read.body.attachments).toEqual(
			expect.arrayContaining(
				["xrechnung", "ubl", "cii"].map((format) =>
					expect.objectContaining({
						kind: `einvoice_${format}`,
						content_type: "application/xml",
						sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
						url: `/v1/billing/credit-notes/${note.id}/e-invoice?format=${format}`,
					}),
				),
			),
		);
	});

	it("refuses a voided note (409), data the format cannot carry (422 with the rule), a PDF format and another tenant (404)", async () => {
		const { key, invoice } = await issuedInvoice(SELLER_PROFILE, {
			...AUTHORITY,
			buyer_reference: undefined,
			preferred_einvoice_format: undefined,
		});
		await configureAccessPoint(key, AP_TOKEN_OK);
		// Kept unapplied, so that it can be voided.
		const note = await creditNoteOf(key, invoice.id, false);
		const xrechnung = await api(`/v1/billing/credit-notes/${note.id}/e-invoice/send`, {
			key,
			body: { format: "xrechnung" },
		});
		expectProblem(xrechnung, 422, "validation_failed");
		expect(xrechnung.body.rule).toBe("BR-DE-15");
		expectProblem(
			await api(`/v1/billing/credit-notes/${note.id}/e-invoice/send?format=facturx`, { key, method: "POST" }),
			422,
			"validation_failed",
		);
		const other = await newTenant();
		expectProblem(
			await api(`/v1/billing/credit-notes/${note.id}/e-invoice/send`, { key: other.key, body: { format: "ubl" } }),
			404,
			"not_found",
		);
		expectProblem(
			await api(`/v1/billing/credit-notes/${note.id}/e-invoice/submissions`, { key: other.key }),
			404,
			"not_found",
		);
		const voided = await api(`/v1/billing/credit-notes/${note.id}/void`, { key, method: "POST" });
		expect(voided.body.status).toBe("voided");
		expectProblem(
			await api(`/v1/billing/credit-notes/${note.id}/e-invoice/send`, { key, body: { format: "ubl" } }),
			409,
			"invalid_state",
		);
		expect(await creditNoteSubmissions(key, note.id)).toEqual([]);
	});
});
