import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/lib/crypto";
import { api, expectProblem, newCustomer, newTenant } from "../helpers/api";
import { attachmentBytes, consumeJob, receivedEmails, tenantWithEmailApi } from "../helpers/email";
import { newInvoice } from "../helpers/invoices";
import { pdfPages } from "../helpers/pdfText";

async function newCreditNote(key: string, customerId: string, body: Record<string, unknown> = {}) {
	const invoice = await newInvoice(key, customerId, { finalize: true });
	const note = await api("/v1/billing/credit-notes", {
		key,
		body: { invoice_id: invoice.id, amount: 1190, reason: "Damaged item", ...body },
	});
	expect(note.status).toBe(201);
	return note.body;
}

async function newStatement(key: string, customerId: string) {
	await newInvoice(key, customerId, { finalize: true });
	const statement = await api(`/v1/billing/customers/${customerId}/statement`, {
		key,
		body: { from: "2026-01-01", to: "2030-12-31" },
	});
	expect(statement.status).toBe(201);
	return statement.body;
}

const mailTo = async (to: string) => (await receivedEmails()).filter((m) => m.To === to);

describe("emailing credit notes and statements", () => {
	it("emails a credit note through the tenant's email API with its stored PDF attached", async () => {
		const { key, tenantId } = await tenantWithEmailApi();
		const email = `cn-${tenantId.toLowerCase()}@acme.example`;
		const customer = await newCustomer(key, { name: "Łódź Müller", email });
		const note = await newCreditNote(key, customer.id);
		const sent = await api(`/v1/billing/credit-notes/${note.id}/send`, { key, method: "POST" });
		expect(sent.status).toBe(200);
		expect(sent.body).toMatchObject({ object: "document_deliveries", document_id: note.id });
		expect(sent.body.deliveries).toEqual([
			expect.objectContaining({
				kind: "credit_note",
				channel: "email",
				status: "sent",
				attempts: 1,
				recipient: email,
				reason: null,
				provider_message_id: expect.stringMatching(/^pm-\d+$/),
			}),
		]);
		const [message] = await mailTo(email);
		expect(message?.Subject).toContain(note.number);
		expect(message?.TextBody).toContain("Łódź Müller");
		expect(message?.Attachments).toEqual([
			expect.objectContaining({ Name: `${note.number}.pdf`, ContentType: "application/pdf" }),
		]);
		const attached = attachmentBytes(message?.Attachments[0]?.Content ?? "");
		// The very file stored in R2 (its ETag is its SHA-256).
		const stored = await api(`/v1/billing/credit-notes/${note.id}/pdf`, { key });
		expect(stored.headers.get("etag")).toBe(`"${await sha256Hex(attached)}"`);
		expect((await pdfPages(attached)).join("\n")).toContain(note.number);
	});

	it("emails a statement with the template a send names, and the default one otherwise", async () => {
		const { key, tenantId } = await tenantWithEmailApi();
		const email = `stmt-${tenantId.toLowerCase()}@acme.example`;
		const customer = await newCustomer(key, { email });
		const statement = await newStatement(key, customer.id);
		const template = await api("/v1/billing/templates", {
			key,
			body: {
				// Another locale than the tenant's: only a send that names it uses it.
				kind: "statement",
				locale: "fr-FR",
				subject: "Your account {{statement.from}} to {{statement.to}}",
				body: "Hello {{customer.name}}, you owe {{statement.closing_balance}}.",
			},
		});
		expect(template.status).toBe(201);
		const named = await api(`/v1/billing/statements/${statement.id}/send`, {
			key,
			body: { template_id: template.body.id },
			headers: { "idempotency-key": "stmt-named" },
		});
		expect(named.status).toBe(200);
		expect(named.body.deliveries).toEqual([
			expect.objectContaining({ kind: "statement", status: "sent", template_id: template.body.id }),
		]);
		const other = `other-${tenantId.toLowerCase()}@acme.example`;
		const overridden = await api(`/v1/billing/statements/${statement.id}/send`, { key, body: { to: other } });
		expect(overridden.body.deliveries).toHaveLength(2);
		expect(overridden.body.deliveries[1]).toMatchObject({ recipient: other, status: "sent" });

		const [withTemplate] = await mailTo(email);
		expect(withTemplate?.Subject).toBe("Your account 1 Jan 2026 to 31 Dec 2030");
		expect(withTemplate?.TextBody).toMatch(/^Hello Acme GmbH, you owe €\d/);
		const filename = `statement-${statement.from}-${statement.to}.pdf`;
		expect(withTemplate?.Attachments).toEqual([expect.objectContaining({ Name: filename })]);
		const text = (await pdfPages(attachmentBytes(withTemplate?.Attachments[0]?.Content ?? ""))).join("\n");
		expect(text).toMatch(/statement/i);
		const [withDefault] = await mailTo(other);
		expect(withDefault?.Subject).toBe("Statement of account 1 Jan 2026 – 31 Dec 2030");
	});

	it("sends through the deployment's send_email binding when the tenant has no email API", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key, { email: "ap@acme.example" });
		const statement = await newStatement(key, customer.id);
		const sent = await api(`/v1/billing/statements/${statement.id}/send`, { key, method: "POST" });
		expect(sent.body.deliveries[0]).toMatchObject({ status: "sent", attempts: 1 });
		expect(sent.body.deliveries[0].provider_message_id).toMatch(/^<dlv_.*@example\.com>$/);
	});

	it("retries what the API refuses for now on the jobs queue with backoff, and fails what it refuses for good", async () => {
		const { key, tenantId } = await tenantWithEmailApi();
		const flaky = await newCustomer(key, { email: `flaky-cn-${tenantId.toLowerCase()}@acme.example` });
		const note = await newCreditNote(key, flaky.id);
		const first = await api(`/v1/billing/credit-notes/${note.id}/send`, { key, method: "POST" });
		const delivery = first.body.deliveries[0];
		expect(delivery).toMatchObject({ status: "queued", attempts: 1 });
		expect(delivery.reason).toMatch(/503/);
		const retried = await consumeJob({ v: 1, kind: "deliver_email", tenant_id: tenantId, delivery_id: delivery.id });
		expect(retried.explicitAcks).toEqual(["m1"]);
		const row = await env.DB.prepare(
			"select status, attempts, provider_message_id from document_deliveries where id = ?",
		)
			.bind(delivery.id)
			.first<{ status: string; attempts: number; provider_message_id: string }>();
		expect(row).toMatchObject({ status: "sent", attempts: 2, provider_message_id: expect.stringMatching(/^pm-/) });
		expect(await mailTo(`flaky-cn-${tenantId.toLowerCase()}@acme.example`)).toHaveLength(1);

		const refused = await newCustomer(key, { email: `refused-stmt-${tenantId.toLowerCase()}@acme.example` });
		const statement = await newStatement(key, refused.id);
		const failed = await api(`/v1/billing/statements/${statement.id}/send`, { key, method: "POST" });
		expect(failed.body.deliveries[0]).toMatchObject({ kind: "statement", status: "failed", attempts: 1 });
		expect(failed.body.deliveries[0].reason).toMatch(/422/);
	});

	it("sends once per Idempotency-Key, also when the same send arrives twice at once", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key, { email: "ap@acme.example" });
		const note = await newCreditNote(key, customer.id);
		const headers = { "idempotency-key": "cn-send-once" };
		const send = () => api(`/v1/billing/credit-notes/${note.id}/send`, { key, method: "POST", headers });
		// The twin either waits for the first's answer or is told it is still in progress; one email leaves.
		const twins = await Promise.all([send(), send()]);
		expect(twins.map((r) => r.status).sort()).toContainEqual(200);
		for (const twin of twins) expect([200, 409]).toContain(twin.status);
		const again = await send();
		expect(again.body.deliveries).toHaveLength(1);
		const another = await api(`/v1/billing/credit-notes/${note.id}/send`, {
			key,
			method: "POST",
			headers: { "idempotency-key": "cn-send-twice" },
		});
		expect(another.body.deliveries).toHaveLength(2);
		const audit = await api(`/v1/billing/audit?target_id=${note.id}&action=credit_note.sent`, { key });
		expect(audit.body.data).toHaveLength(2);
	});

	it("refuses a customer without an email, an unknown or foreign template, a voided note and other tenants' ids", async () => {
		const { key } = await newTenant();
		const silent = await newCustomer(key);
		const note = await newCreditNote(key, silent.id, { apply_to_invoice: false });
		const noEmail = await api(`/v1/billing/credit-notes/${note.id}/send`, { key, method: "POST" });
		expect(expectProblem(noEmail, 422, "validation_failed").errors[0].field).toBe("to");
		const statement = await newStatement(key, silent.id);
		const noEmailStatement = await api(`/v1/billing/statements/${statement.id}/send`, { key, method: "POST" });
		expect(expectProblem(noEmailStatement, 422, "validation_failed").errors[0].field).toBe("to");

		const unknown = await api(`/v1/billing/statements/${statement.id}/send`, {
			key,
			body: { to: "ap@acme.example", template_id: "tmpl_missing" },
		});
		expect(expectProblem(unknown, 422, "validation_failed").errors[0].field).toBe("template_id");
		const invoiceTemplate = await api("/v1/billing/templates", {
			key,
			body: { kind: "invoice", locale: "en-GB", subject: "Invoice {{invoice.number}}", body: "Attached." },
		});
		const wrongKind = await api(`/v1/billing/credit-notes/${note.id}/send`, {
			key,
			body: { to: "ap@acme.example", template_id: invoiceTemplate.body.id },
		});
		expect(expectProblem(wrongKind, 422, "validation_failed").errors[0].field).toBe("template_id");
		const badTo = await api(`/v1/billing/credit-notes/${note.id}/send`, { key, body: { to: "not-an-address" } });
		expect(expectProblem(badTo, 422, "validation_failed").errors[0].field).toBe("to");

		const voided = await api(`/v1/billing/credit-notes/${note.id}/void`, { key, method: "POST" });
		expect(voided.status).toBe(200);
		const sendVoided = await api(`/v1/billing/credit-notes/${note.id}/send`, {
			key,
			body: { to: "ap@acme.example" },
		});
		expectProblem(sendVoided, 409, "invalid_state");

		const other = await newTenant();
		const foreignNote = await api(`/v1/billing/credit-notes/${note.id}/send`, {
			key: other.key,
			body: { to: "ap@acme.example" },
		});
		expectProblem(foreignNote, 404, "not_found");
		const foreignStatement = await api(`/v1/billing/statements/${statement.id}/send`, {
			key: other.key,
			body: { to: "ap@acme.example" },
		});
		expectProblem(foreignStatement, 404, "not_found");
		const deliveries = await env.DB.prepare("select count(*) as n from document_deliveries where document_id in (?, ?)")
			.bind(note.id, statement.id)
			.first<{ n: number }>();
		expect(deliveries?.n).toBe(0);
	});
});
