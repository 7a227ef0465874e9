import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { formatDate } from "../../src/documents/format";
import { api, expectProblem, fieldsOf, newCustomer, newTenant } from "../helpers/api";
import { newInvoice } from "../helpers/invoices";
import { pdfPages } from "../helpers/pdfText";

const patchSettings = (key: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
	api("/v1/billing/settings", { key, method: "PATCH", body, headers });

async function invoicePdfText(key: string, invoiceId: string) {
	const response = await SELF.fetch(`https://billing.test/v1/billing/invoices/${invoiceId}/pdf`, {
		headers: { authorization: `Bearer ${key}` },
	});
	expect(response.status).toBe(200);
	return (await pdfPages(await response.arrayBuffer())).join("\n");
}

describe("settings: payment terms, rounding, revenue recognition, number format and locale", () => {
	it("shows each with its default", async () => {
		const { key } = await newTenant();
		const settings = await api("/v1/billing/settings", { key });
		expect(settings.status).toBe(200);
		expect(settings.body).toMatchObject({
			default_payment_terms: "net30",
			rounding: "per_invoice",
			tax_rounding: "per_invoice",
			revenue_recognition_policy: "on_invoice",
			invoice_number_format: "INV-{YYYY}-{NNNN}",
			locale: "en-GB",
		});
	});

	it("gives new customers the default payment terms, and so their invoices' due dates", async () => {
		const { key } = await newTenant();
		const updated = await patchSettings(key, { default_payment_terms: "net_14" });
		expect(updated.status).toBe(200);
		expect(updated.body.default_payment_terms).toBe("net_14");
		const customer = await newCustomer(key);
		expect(customer.payment_terms).toBe("net_14");
		const invoice = await newInvoice(key, customer.id, { finalize: true });
		const days = (Date.parse(invoice.due_date) - Date.parse(invoice.issue_date)) / 86_400_000;
		expect(days).toBe(14);
		const dated = await newInvoice(key, customer.id, { issue_date: "2026-02-20" });
		expect(dated.due_date).toBe("2026-03-06");
		const own = await newCustomer(key, { payment_terms: "due_on_receipt" });
		expect(own.payment_terms).toBe("due_on_receipt");
		const explicit = await newInvoice(key, customer.id, { issue_date: "2026-02-20", due_date: "2026-04-01" });
		expect(explicit.due_date).toBe("2026-04-01");
	});

	it("treats rounding as tax_rounding by another name: a change of either is a change of both", async () => {
		const { key } = await newTenant();
		const byAlias = await patchSettings(key, { rounding: "per_line" });
		expect(byAlias.body).toMatchObject({ rounding: "per_line", tax_rounding: "per_line" });
		const byName = await patchSettings(key, { tax_rounding: "per_invoice" });
		expect(byName.body).toMatchObject({ rounding: "per_invoice", tax_rounding: "per_invoice" });
		const agreeing = await patchSettings(key, { rounding: "per_line", tax_rounding: "per_line" });
		expect(agreeing.body.rounding).toBe("per_line");
		const disagreeing = await patchSettings(key, { rounding: "per_invoice", tax_rounding: "per_line" });
		expect(fieldsOf(expectProblem(disagreeing, 422, "validation_failed"))).toEqual(["body:rounding"]);
		const unknown = await patchSettings(key, { rounding: "bankers" });
		expect(fieldsOf(expectProblem(unknown, 422, "validation_failed"))).toEqual(["body:rounding"]);
		expect((await api("/v1/billing/settings", { key })).body.tax_rounding).toBe("per_line");
	});

	it("stores the revenue recognition policy and the number format, refusing bad values by name", async () => {
		const { key } = await newTenant();
		const updated = await patchSettings(key, {
			revenue_recognition_policy: "ratable",
			invoice_number_format: "ACME-{YYYY}/{NNNNN}",
		});
		expect(updated.body).toMatchObject({
			revenue_recognition_policy: "ratable",
			invoice_number_format: "ACME-{YYYY}/{NNNNN}",
		});
		const customer = await newCustomer(key);
		expect((await newInvoice(key, customer.id, { finalize: true })).number).toMatch(/^ACME-\d{4}\/\d{5}$/);
		for (const [field, value] of [
			["revenue_recognition_policy", "on_delivery"],
			["default_payment_terms", "net_999"],
			["default_payment_terms", "soon"],
			["locale", "xx-NOPE-123456789"],
			["invoice_number_format", "INV"],
		] as const) {
			const refused = await patchSettings(key, { [field]: value });
			expect(fieldsOf(expectProblem(refused, 422, "validation_failed"))).toEqual([`body:${field}`]);
		}
		expect((await api("/v1/billing/settings", { key })).body.revenue_recognition_policy).toBe("ratable");
	});

	it("formats documents in the tenant's locale unless the legal profile names its own", async () => {
		const { key } = await newTenant();
		await patchSettings(key, { locale: "de-DE", legal_profile: { legal_name: "Müller GmbH" } });
		const settings = await api("/v1/billing/settings", { key });
		expect(settings.body.locale).toBe("de-DE");
		expect(settings.body.legal_profile.locale).toBeUndefined();
		const customer = await newCustomer(key);
		const german = await newInvoice(key, customer.id, { finalize: true });
		expect(await invoicePdfText(key, german.id)).toContain(formatDate(german.issue_date, "de-DE"));

		await patchSettings(key, { legal_profile: { legal_name: "Müller GmbH", locale: "en-US" } });
		const american = await newInvoice(key, customer.id, { finalize: true });
		const text = await invoicePdfText(key, american.id);
		expect(text).toContain(formatDate(american.issue_date, "en-US"));
		expect(text).not.toContain(formatDate(american.issue_date, "de-DE"));
	});

	it("is versioned: every change moves the version, and a stale one is refused", async () => {
		const { key } = await newTenant();
		const initial = await api("/v1/billing/settings", { key });
		const changed = await patchSettings(key, { locale: "fr-FR" }, { "if-match": `"${initial.body.version}"` });
		expect(changed.status).toBe(200);
		expect(changed.body.version).toBeGreaterThan(initial.body.version);
		const stale = await patchSettings(key, { default_payment_terms: "net_60", version: initial.body.version });
		expectProblem(stale, 409, "version_conflict");
		const current = await api("/v1/billing/settings", { key });
		expect(current.body).toMatchObject({ locale: "fr-FR", default_payment_terms: "net30" });
		const audit = await api("/v1/billing/audit?action=settings.updated", { key });
		expect(audit.body.data[0].after).toMatchObject({ locale: "fr-FR" });
	});
});
