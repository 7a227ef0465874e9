// Prices stated including tax, per line, per invoice, per plan or by the tenant's default: the engine
// takes the tax out so that net + tax is the price stated, and the line keeps what was stated.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Finding, InvoiceFacts } from "../../src/documents/einvoice/rules";
import { formatDecimal } from "../../src/domain/decimal";
import { api, expectProblem, fieldsOf, newCustomer, newTenant } from "../helpers/api";
import { AUTHORITY, SELLER_PROFILE } from "../helpers/einvoice";
import { newInvoice } from "../helpers/invoices";
import { newPlan, subscribe } from "../helpers/subscriptions";

/** A seller established in Germany (19 % standard, 7 % reduced), with a German customer. */
async function germanSeller(settings: Record<string, unknown> = {}) {
	const { key } = await newTenant("EUR");
	const res = await api("/v1/billing/settings", {
		key,
		method: "PATCH",
		body: { tax_origin_country: "DE", ...settings },
	});
	if (res.status !== 200) throw new Error(`settings: ${res.status} ${res.text}`);
	const customer = await newCustomer(key, { name: "Muster GmbH", billing_address: { country: "DE" } });
	return { key, customer };
}

type Line = { net_amount: number; tax_amount: number; total: number; prices_include_tax: boolean };
const figures = (invoice: { lines: Line[] }) =>
	invoice.lines.map((l) => [l.prices_include_tax, l.net_amount, l.tax_amount, l.total]);

describe("prices including tax on invoice lines", () => {
	it("splits an inclusive line and taxes an exclusive one on the same invoice", async () => {
		const { key, customer } = await germanSeller();
		const invoice = await newInvoice(key, customer.id, {
			items: [
				{ description: "Ticket", unit_price: 11900, prices_include_tax: true },
				{ description: "Consulting", unit_price: 10000 },
				{ description: "Book", unit_price: 1070, tax_code: "reduced", prices_include_tax: true },
				{
					description: "Stated",
					unit_price: 11900,
					taxes: [{ jurisdiction: "DE", rate: 19 }],
					prices_include_tax: true,
				},
			],
		});
		expect(figures(invoice)).toEqual([
			[true, 10000, 1900, 11900],
			[false, 10000, 1900, 11900],
			[true, 1000, 70, 1070],
			[true, 10000, 1900, 11900],
		]);
		expect(invoice.lines[0]).toMatchObject({ unit_price: 11900, amount: 10000, tax_code: "standard" });
		expect(invoice.lines[3]).toMatchObject({ unit_price: 11900, amount: 10000, tax_code: null, tax_category: "S" });
		expect(invoice).toMatchObject({ subtotal: 31000, discount_total: 0, tax_total: 5770, total: 36770 });
		expect(invoice.tax_lines).toMatchObject([
			{ jurisdiction: "DE", category: "S", rate: "19", taxable_amount: 30000, amount: 5700 },
			{ jurisdiction: "DE", category: "S", rate: "7", taxable_amount: 1000, amount: 70 },
		]);
	});

	it("takes the invoice's flag for lines that do not say, and the tenant's setting without either", async () => {
		const { key, customer } = await germanSeller({ tax_prices_include_tax: true });
		const byTenant = await newInvoice(key, customer.id, {
			items: [
				{ description: "Default", unit_price: 11900 },
				{ description: "Net", unit_price: 10000, prices_include_tax: false },
			],
		});
		expect(figures(byTenant)).toEqual([
			[true, 10000, 1900, 11900],
			[false, 10000, 1900, 11900],
		]);
		const byInvoice = await newInvoice(key, customer.id, {
			prices_include_tax: false,
			items: [
				{ description: "Net", unit_price: 10000 },
				{ description: "Gross", unit_price: 11900, prices_include_tax: true },
			],
		});
		expect(figures(byInvoice)).toEqual([
			[false, 10000, 1900, 11900],
			[true, 10000, 1900, 11900],
		]);
	});

	it("splits stated taxes for a tenant without a tax setup, by its rounding", async () => {
		const { key } = await newTenant("EUR");
		const customer = await newCustomer(key);
		const invoice = await newInvoice(key, customer.id, {
			prices_include_tax: true,
			items: [104, 104, 104].map((price) => ({
				description: "Roll",
				unit_price: price,
				taxes: [{ jurisdiction: "DE", rate: 19 }],
			})),
		});
		// Per invoice (the default): 3.12 = 2.62 + 0.50, shared in the lines' order.
		expect(figures(invoice)).toEqual([
			[true, 87, 17, 104],
			[true, 87, 17, 104],
			[true, 88, 16, 104],
		]);
		expect(invoice.tax_lines).toMatchObject([{ taxable_amount: 262, amount: 50 }]);
	});

	it("reprices a draft when its update changes the flag, and finalizing keeps what was stated", async () => {
		const { key, customer } = await germanSeller();
		const draft = await newInvoice(key, customer.id, {
			items: [{ description: "Ticket", unit_price: 11900, quantity: 2, discounts: [{ type: "amount", amount: 2380 }] }],
		});
		expect(figures(draft)).toEqual([[false, 21420, 4070, 25490]]);

		const items = [
			{
				description: "Ticket",
				unit_price: 11900,
				quantity: 2,
				discounts: [{ type: "amount", amount: 2380 }],
				prices_include_tax: true,
			},
		];
		const updated = await api(`/v1/billing/invoices/${draft.id}`, { key, method: "PATCH", body: { items } });
		expect(updated.status).toBe(200);
		expect(figures(updated.body)).toEqual([[true, 18000, 3420, 21420]]);
		expect(updated.body.lines[0]).toMatchObject({ unit_price: 11900, amount: 20000, discount_amount: 2000 });

		// The invoice's flag applies to the items it comes with, so it needs them.
		const alone = await api(`/v1/billing/invoices/${draft.id}`, {
			key,
			method: "PATCH",
			body: { prices_include_tax: false },
		});
		expect(fieldsOf(expectProblem(alone, 422, "validation_failed"))).toEqual(["body:prices_include_tax"]);

		const final = await api(`/v1/billing/invoices/${draft.id}/finalize`, { key, method: "POST" });
		expect(final.status).toBe(200);
		expect(figures(final.body)).toEqual([[true, 18000, 3420, 21420]]);
		// A later change of the tenant's default changes nothing issued.
		await api("/v1/billing/settings", { key, method: "PATCH", body: { tax_prices_include_tax: true } });
		const read = await api(`/v1/billing/invoices/${draft.id}`, { key });
		expect(figures(read.body)).toEqual([[true, 18000, 3420, 21420]]);
		expect(read.body).toMatchObject({ status: "issued", total: 21420, tax_total: 3420 });
	});

	it("refuses a flag that is not a boolean, naming the field", async () => {
		const { key, customer } = await germanSeller();
		const item = { description: "Ticket", unit_price: 11900 };
		const onItem = await api("/v1/billing/invoices", {
			key,
			body: { customer_id: customer.id, items: [{ ...item, prices_include_tax: "yes" }] },
		});
		expect(fieldsOf(expectProblem(onItem, 422, "validation_failed"))).toEqual(["body:items.0.prices_include_tax"]);
		const onInvoice = await api("/v1/billing/invoices", {
			key,
			body: { customer_id: customer.id, prices_include_tax: "yes", items: [item] },
		});
		expect(fieldsOf(expectProblem(onInvoice, 422, "validation_failed"))).toEqual(["body:prices_include_tax"]);
		const onPlan = await api("/v1/billing/plans", {
			key,
			body: { code: "gross", name: "Gross", interval: "month", amount: 1, currency: "EUR", prices_include_tax: "yes" },
		});
		expect(fieldsOf(expectProblem(onPlan, 422, "validation_failed"))).toEqual(["body:prices_include_tax"]);
	});

	it("answers a retried create-and-finalize with the same split invoice", async () => {
		const { key, customer } = await germanSeller();
		const body = {
			customer_id: customer.id,
			finalize: true,
			items: [{ description: "Ticket", unit_price: 11900, prices_include_tax: true }],
		};
		const headers = { "idempotency-key": `inclusive-${customer.id}` };
		const first = await api("/v1/billing/invoices", { key, body, headers });
		const again = await api("/v1/billing/invoices", { key, body, headers });
		expect(first.status).toBe(201);
		expect(again.body).toEqual(first.body);
		expect(again.body).toMatchObject({ status: "issued", balance: 11900 });
		expect(figures(again.body)).toEqual([[true, 10000, 1900, 11900]]);
	});
});

describe("the e-invoice of an invoice with prices including tax", () => {
	// The rule checks' XML reader, imported as test/routes/einvoice.test.ts does (its typings bring the DOM).
	const READ_XML = "../einvoice/rules/readXml";

	it("carries net prices and amounts that pass the rule checks", async () => {
		const { readInvoice, checkDocument } = (await import(/* @vite-ignore */ READ_XML)) as {
			readInvoice: (xml: string) => InvoiceFacts | Finding;
			checkDocument: (xml: string, extra?: ("peppol" | "xrechnung")[]) => Finding[];
		};
		const { key } = await newTenant("EUR");
		const settings = await api("/v1/billing/settings", {
			key,
			method: "PATCH",
			body: { legal_profile: SELLER_PROFILE, tax_origin_country: "DE" },
		});
		expect(settings.status).toBe(200);
		const customer = await newCustomer(key, AUTHORITY);
		const invoice = await newInvoice(key, customer.id, {
			finalize: true,
			prices_include_tax: true,
			items: [
				{ description: "Paper rolls", quantity: 3, unit_price: 999 },
				{ description: "Magazine", quantity: 2, unit_price: 535, tax_code: "reduced" },
				{ description: "Consulting", quantity: 1.5, unit_price: 9000, prices_include_tax: false },
			],
		});
		expect(figures(invoice)).toEqual([
			[true, 2518, 479, 2997],
			[true, 1000, 70, 1070],
			[false, 13500, 2565, 16065],
		]);
		for (const format of ["ubl", "xrechnung", "cii"]) {
			const response = await SELF.fetch(
				`https://billing.test/v1/billing/invoices/${invoice.id}/e-invoice?format=${format}`,
				{ headers: { authorization: `Bearer ${key}` } },
			);
			const xml = await response.text();
			expect(response.status, xml).toBe(200);
			expect(checkDocument(xml)).toEqual([]);
			const facts = readInvoice(xml);
			if ("rule" in facts) throw new Error(facts.message);
			expect(
				facts.lines?.map((line) => [
					line.price?.netPrice && formatDecimal(line.price.netPrice),
					line.price?.baseQuantity && formatDecimal(line.price.baseQuantity),
				]),
			).toEqual([
				["25.18", "3"],
				["5", undefined],
				["90", undefined],
			]);
			expect(facts.totals?.payable && formatDecimal(facts.totals.payable)).toBe("201.32");
		}
	});
});

describe("plans whose prices include tax", () => {
	it("bills a subscription of an inclusive plan at the plan's gross price, and follows the tenant by default", async () => {
		const { key, customer } = await germanSeller();
		const plan = await newPlan(key, { amount: 11900, prices_include_tax: true });
		expect(plan.prices_include_tax).toBe(true);
		const sub = await subscribe(key, { customer_id: customer.id, plan_id: plan.id });
		expect(figures(sub.first_invoice)).toEqual([[true, 10000, 1900, 11900]]);
		expect(sub.first_invoice).toMatchObject({ tax_total: 1900, total: 11900 });

		const plain = await newPlan(key, { amount: 10000 });
		expect(plain.prices_include_tax).toBeNull();
		const other = await newCustomer(key, { name: "Beispiel AG", billing_address: { country: "DE" } });
		const plainSub = await subscribe(key, { customer_id: other.id, plan_id: plain.id });
		expect(figures(plainSub.first_invoice)).toEqual([[false, 10000, 1900, 11900]]);

		const cleared = await api(`/v1/billing/plans/${plan.id}`, {
			key,
			method: "PATCH",
			body: { prices_include_tax: null },
		});
		expect(cleared.status).toBe(200);
		expect(cleared.body.prices_include_tax).toBeNull();
	});
});
