import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, expectProblem, newCustomer, newTenant } from "../helpers/api";
import { emailApi, receivedEmails } from "../helpers/email";
import { newInvoice } from "../helpers/invoices";
import { pdfPages } from "../helpers/pdfText";

describe("templates", () => {
	it("refuses a placeholder the kind cannot fill, naming the field", async () => {
		const { key } = await newTenant();
		const bad = await api("/v1/billing/templates", {
			key,
			body: { kind: "invoice", locale: "en-GB", subject: "Invoice {{invoice.number}}", body: "Hi {{statement.to}}" },
		});
		const problem = expectProblem(bad, 422, "validation_failed");
		expect(problem.errors[0].field).toBe("body");
		expect(problem.errors[0].message).toContain("{{statement.to}}");
		const footer = await api("/v1/billing/templates", {
			key,
			body: { kind: "invoice", locale: "en-GB", subject: "x", body: "y", pdf_footer: "{{seller.name}}" },
		});
		expect(expectProblem(footer, 422, "validation_failed").errors[0].field).toBe("pdf_footer");
	});

	it("fills the tenant's template in its locale, prints its footer, and lets a send pick another", async () => {
		const { key, tenantId } = await newTenant();
		await api("/v1/billing/settings", {
			key,
			method: "PATCH",
			body: {
				legal_profile: { legal_name: "Müller GmbH", locale: "de-DE" },
				email_transport: { provider: "http", endpoint: `${emailApi()}/email`, token: "pm-test-token" },
			},
		});
		const german = await api("/v1/billing/templates", {
			key,
			body: {
				kind: "invoice",
				locale: "de-DE",
				subject: "Rechnung {{invoice.number}} über {{invoice.total}}",
				body: "Guten Tag {{customer.name}},\n\nfällig am {{invoice.due_date}}.",
				pdf_footer: "Müller GmbH · Geschäftsführerin: Zoë Łukasiewicz",
			},
		});
		expect(german.status).toBe(201);
		expect(german.body.placeholders).toContain("invoice.number");
		const special = await api("/v1/billing/templates", {
			key,
			body: { kind: "invoice", locale: "fr-FR", subject: "Facture {{invoice.number}}", body: "Bonjour" },
		});
		const reminder = await api("/v1/billing/templates", {
			key,
			body: { kind: "reminder", locale: "de-DE", subject: "Erinnerung", body: "{{invoice.days_overdue}} Tage" },
		});

		const email = `tpl-${tenantId.toLowerCase()}@acme.example`;
		const customer = await newCustomer(key, { name: "Ørsted A/S", email });
		const invoice = await newInvoice(key, customer.id, { finalize: true });
		const pdf = await SELF.fetch(`https://billing.test/v1/billing/invoices/${invoice.id}/pdf`, {
			headers: { authorization: `Bearer ${key}` },
		});
		expect((await pdfPages(await pdf.arrayBuffer())).join("\n")).toContain("Geschäftsführerin: Zoë Łukasiewicz");

		await api(`/v1/billing/invoices/${invoice.id}/send`, { key, method: "POST" });
		await api(`/v1/billing/invoices/${invoice.id}/send`, { key, body: { template_id: special.body.id } });
		const mine = (await receivedEmails()).filter((m) => m.To === email);
		expect(mine.map((m) => m.Subject)).toEqual([
			`Rechnung ${invoice.number} über 380,80\u00a0€`,
			`Facture ${invoice.number}`,
		]);
		expect(mine[0]?.TextBody).toContain("Guten Tag Ørsted A/S");

		const wrongKind = await api(`/v1/billing/invoices/${invoice.id}/send`, {
			key,
			body: { template_id: reminder.body.id },
		});
		expect(expectProblem(wrongKind, 422, "validation_failed").errors[0].field).toBe("template_id");

		const changed = await api(`/v1/billing/templates/${special.body.id}`, {
			key,
			method: "PATCH",
			body: { subject: "Votre facture {{invoice.number}}" },
		});
		expect(changed.body).toMatchObject({ subject: "Votre facture {{invoice.number}}", version: 2 });
		const badPatch = await api(`/v1/billing/templates/${special.body.id}`, {
			key,
			method: "PATCH",
			body: { subject: "{{credit_note.number}}" },
		});
		expect(expectProblem(badPatch, 422, "validation_failed").errors[0].field).toBe("subject");
		const list = await api("/v1/billing/templates?kind=invoice", { key });
		expect(list.body.data.map((t: { id: string }) => t.id).sort()).toEqual([german.body.id, special.body.id].sort());

		const other = await newTenant();
		expect((await api(`/v1/billing/templates/${special.body.id}`, { key: other.key })).status).toBe(404);
	});
});
