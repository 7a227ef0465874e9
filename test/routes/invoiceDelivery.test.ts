import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, expectProblem, newCustomer, newTenant } from "../helpers/api";
import { consumeJob, receivedEmails, tenantWithEmailApi } from "../helpers/email";
import { newInvoice } from "../helpers/invoices";

describe("sending invoices by email", () => {
	it("sends through the send_email binding with the PDF attached", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key, { email: "ap@acme.example" });
		const invoice = await newInvoice(key, customer.id, { finalize: true });
		const sent = await api(`/v1/billing/invoices/${invoice.id}/send`, { key, body: { channels: ["email", "erp"] } });
		expect(sent.status).toBe(200);
		expect(sent.body.deliveries[0]).toMatchObject({ channel: "email", status: "sent", attempts: 1, reason: null });
		expect(sent.body.deliveries[0].provider_message_id).toMatch(/^<dlv_.*@example\.com>$/);
		expect(sent.body.deliveries[1]).toMatchObject({ channel: "erp", status: "undeliverable" });
	});

	it("sends through the tenant's HTTP email API: template filled and escaped, PDF attached, token kept secret", async () => {
		const { key, tenantId } = await tenantWithEmailApi();
		const stored = await env.DB.prepare("select email_transport from tenants where id = ?")
			.bind(tenantId)
			.first<{ email_transport: string }>();
		expect(stored?.email_transport).not.toContain("pm-test-token");
		const customer = await newCustomer(key, {
			name: "<b>Ørsted</b> & Co",
			email: `ok-${tenantId.toLowerCase()}@acme.example`,
		});
		const invoice = await newInvoice(key, customer.id, { finalize: true });
		const sent = await api(`/v1/billing/invoices/${invoice.id}/send`, { key, method: "POST" });
		expect(sent.body.deliveries).toEqual([
			expect.objectContaining({ status: "sent", attempts: 1, provider_message_id: expect.stringMatching(/^pm-\d+$/) }),
		]);
		const message = (await receivedEmails()).find((m) => m.To === `ok-${tenantId.toLowerCase()}@acme.example`);
		expect(message?.Subject).toContain(invoice.number);
		expect(message?.HtmlBody).toContain("&lt;b&gt;Ørsted&lt;/b&gt; &amp; Co");
		expect(message?.TextBody).toContain("<b>Ørsted</b> & Co");
		expect(message?.Attachments).toEqual([
			expect.objectContaining({ Name: `${invoice.number}.pdf`, ContentType: "application/pdf" }),
		]);
		expect(atob(message?.Attachments[0]?.Content ?? "").startsWith("%PDF-")).toBe(true);
	});

	it("retries what the API refuses for now on the jobs queue, and gives up on what it refuses for good", async () => {
		const { key, tenantId } = await tenantWithEmailApi();
		const flaky = await newCustomer(key, { email: `flaky-${tenantId.toLowerCase()}@acme.example` });
		const invoice = await newInvoice(key, flaky.id, { finalize: true });
		const first = await api(`/v1/billing/invoices/${invoice.id}/send`, { key, method: "POST" });
		const delivery = first.body.deliveries[0];
		expect(delivery).toMatchObject({ status: "queued", attempts: 1 });
		expect(delivery.reason).toMatch(/503/);
		const retried = await consumeJob({ v: 1, kind: "deliver_email", tenant_id: tenantId, delivery_id: delivery.id });
		expect(retried.explicitAcks).toEqual(["m1"]);
		const after = await api(`/v1/billing/invoices/${invoice.id}`, { key });
		expect(after.body.deliveries[0]).toMatchObject({ status: "sent", attempts: 2, reason: null });

		const refused = await newCustomer(key, { email: `refused-${tenantId.toLowerCase()}@acme.example` });
		const other = await newInvoice(key, refused.id, { finalize: true });
		const failed = await api(`/v1/billing/invoices/${other.id}/remind`, { key, method: "POST" });
		expect(failed.body.deliveries[0]).toMatchObject({ kind: "reminder", status: "failed", attempts: 1 });
		expect(failed.body.deliveries[0].reason).toMatch(/422/);
	});

	it("fails for good with a token the API rejects", async () => {
		const { key } = await tenantWithEmailApi("wrong-token");
		const customer = await newCustomer(key, { email: "ap@acme.example" });
		const invoice = await newInvoice(key, customer.id, { finalize: true });
		const sent = await api(`/v1/billing/invoices/${invoice.id}/send`, { key, method: "POST" });
		expect(sent.body.deliveries[0]).toMatchObject({ status: "failed" });
		expect(sent.body.deliveries[0].reason).toMatch(/401/);
	});

	it("sends once per Idempotency-Key, and refuses a customer without an email naming the field", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key, { email: "ap@acme.example" });
		const invoice = await newInvoice(key, customer.id, { finalize: true });
		const headers = { "idempotency-key": "send-once-1" };
		await api(`/v1/billing/invoices/${invoice.id}/send`, { key, method: "POST", headers });
		const again = await api(`/v1/billing/invoices/${invoice.id}/send`, { key, method: "POST", headers });
		expect(again.body.deliveries).toHaveLength(1);

		const silent = await newCustomer(key);
		const unsendable = await newInvoice(key, silent.id, { finalize: true });
		const refused = await api(`/v1/billing/invoices/${unsendable.id}/send`, { key, method: "POST" });
		expect(expectProblem(refused, 422, "validation_failed").errors[0].field).toBe("to");
		const unknownTemplate = await api(`/v1/billing/invoices/${invoice.id}/send`, {
			key,
			body: { template_id: "tmpl_missing" },
		});
		expect(expectProblem(unknownTemplate, 422, "validation_failed").errors[0].field).toBe("template_id");
	});
});
