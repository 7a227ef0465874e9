import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, expectProblem, fieldsOf, newCustomer, newTenant, waitForJob } from "../helpers/api";
import { newInvoice } from "../helpers/invoices";
import { pdfPages } from "../helpers/pdfText";
import { newPlan, subscribe } from "../helpers/subscriptions";

const today = () => new Date().toISOString().slice(0, 10);

/** A seller established in Germany and registered for the EU One-Stop Shop. */
async function germanOssSeller(settings: Record<string, unknown> = {}) {
	const tenant = await newTenant("EUR");
	const res = await api("/v1/billing/settings", {
		key: tenant.key,
		method: "PATCH",
		body: { tax_origin_country: "DE", tax_oss_registered: true, ...settings },
	});
	if (res.status !== 200) throw new Error(`settings: ${res.status} ${res.text}`);
	return tenant;
}

const buyers = (key: string) => ({
	frenchBusiness: () =>
		newCustomer(key, {
			name: "Dupont SARL",
			billing_address: { country: "FR", postal_code: "75001" },
			tax_id: "FR40303265045",
		}),
	frenchConsumer: () => newCustomer(key, { name: "Marie Curie", billing_address: { country: "FR" } }),
	americanBuyer: () => newCustomer(key, { name: "Acme Inc.", billing_address: { country: "US", state: "NY" } }),
	germanBuyer: () => newCustomer(key, { name: "Muster GmbH", billing_address: { country: "DE" } }),
});

const lineTaxes = (invoice: { lines: Record<string, unknown>[] }) =>
	invoice.lines.map((line) => ({
		tax_code: line.tax_code,
		tax_category: line.tax_category,
		tax_amount: line.tax_amount,
		tax_exemption_reason: line.tax_exemption_reason,
		tax_exemption_reason_code: line.tax_exemption_reason_code,
	}));

describe("invoices taxed by the engine (a German seller, OSS-registered)", () => {
	it("reverse charges a French business with a VAT id: AE, no tax, a Reverse charge note", async () => {
		const { key } = await germanOssSeller();
		const customer = await buyers(key).frenchBusiness();
		const invoice = await newInvoice(key, customer.id, {
			finalize: true,
			items: [{ description: "Consulting", unit_price: 100000 }],
		});
		expect(invoice.tax_total).toBe(0);
		expect(invoice.total).toBe(100000);
		expect(lineTaxes(invoice)).toEqual([
			{
				tax_code: "standard",
				tax_category: "AE",
				tax_amount: 0,
				tax_exemption_reason: "Reverse charge",
				tax_exemption_reason_code: "VATEX-EU-AE",
			},
		]);
		expect(invoice.tax_lines).toEqual([
			{
				jurisdiction: "DE",
				category: "AE",
				rate: "0",
				taxable_amount: 100000,
				amount: 0,
				exemption_reason: "Reverse charge",
				exemption_reason_code: "VATEX-EU-AE",
			},
		]);
		expect(invoice.legal_notes).toEqual([{ category: "AE", text: "Reverse charge", code: "VATEX-EU-AE" }]);
		// What was issued is what is read back: categories are stored with the lines.
		const read = await api(`/v1/billing/invoices/${invoice.id}`, { key });
		expect(read.body.tax_lines).toEqual(invoice.tax_lines);
		expect(read.body.lines[0].tax_category).toBe("AE");
		// The PDF prints the category and the note.
		const pdf = await SELF.fetch(`https://billing.test/v1/billing/invoices/${invoice.id}/pdf`, {
			headers: { authorization: `Bearer ${key}` },
		});
		expect(pdf.status).toBe(200);
		const text = (await pdfPages(new Uint8Array(await pdf.arrayBuffer()))).join("\n");
		expect(text).toContain("DE 0% (AE)");
		expect(text).toContain("Reverse charge (VATEX-EU-AE)");
	});

	it("charges a French consumer French VAT for digital services (OSS), jurisdiction FR", async () => {
		const { key } = await germanOssSeller();
		const customer = await buyers(key).frenchConsumer();
		const invoice = await newInvoice(key, customer.id, {
			finalize: true,
			items: [{ description: "Streaming", unit_price: 10000, tax_code: "digital_services" }],
		});
		expect(invoice.lines[0]).toMatchObject({
			tax_code: "digital_services",
			tax_category: "S",
			net_amount: 10000,
			tax_amount: 2000,
			total: 12000,
			taxes: [{ jurisdiction: "FR", rate: "20", amount: 2000, category: "S" }],
			tax_exemption_reason: null,
		});
		expect(invoice.tax_lines).toEqual([
			{
				jurisdiction: "FR",
				category: "S",
				rate: "20",
				taxable_amount: 10000,
				amount: 2000,
				exemption_reason: null,
				exemption_reason_code: null,
			},
		]);
		expect(invoice.legal_notes).toEqual([]);
	});

	it("zero-rates an export to a US buyer: G with its exemption reason", async () => {
		const { key } = await germanOssSeller();
		const customer = await buyers(key).americanBuyer();
		const invoice = await newInvoice(key, customer.id, {
			finalize: true,
			items: [{ description: "Consulting", unit_price: 50000 }],
		});
		expect(invoice.tax_total).toBe(0);
		expect(lineTaxes(invoice)).toEqual([
			{
				tax_code: "standard",
				tax_category: "G",
				tax_amount: 0,
				tax_exemption_reason: "Export outside the EU",
				tax_exemption_reason_code: "VATEX-EU-G",
			},
		]);
		expect(invoice.legal_notes).toEqual([{ category: "G", text: "Export outside the EU", code: "VATEX-EU-G" }]);
	});

	it("rounds each category once per invoice: 19 % of 2110 is 401, where per line it would be 400", async () => {
		const { key } = await germanOssSeller();
		const customer = await buyers(key).germanBuyer();
		const invoice = await newInvoice(key, customer.id, {
			finalize: true,
			items: [
				{ description: "Consulting", unit_price: 1055 },
				{ description: "Book", unit_price: 1055, tax_code: "reduced" },
				{ description: "Support", unit_price: 1055 },
			],
		});
		expect(invoice.tax_lines).toEqual([
			{
				jurisdiction: "DE",
				category: "S",
				rate: "19",
				taxable_amount: 2110,
				amount: 401,
				exemption_reason: null,
				exemption_reason_code: null,
			},
			{
				jurisdiction: "DE",
				category: "S",
				rate: "7",
				taxable_amount: 1055,
				amount: 74,
				exemption_reason: null,
				exemption_reason_code: null,
			},
		]);
		const lineTax = invoice.lines.map((line: { tax_amount: number }) => line.tax_amount);
		expect(lineTax).toEqual([201, 74, 200]);
		expect(invoice.tax_total).toBe(475);
		expect(invoice.total).toBe(3165 + 475);

		// The same lines rounded per line: 200 + 74 + 200.
		const perLine = await germanOssSeller({ tax_rounding: "per_line" });
		const german = await buyers(perLine.key).germanBuyer();
		const rounded = await newInvoice(perLine.key, german.id, {
			items: [
				{ description: "Consulting", unit_price: 1055 },
				{ description: "Book", unit_price: 1055, tax_code: "reduced" },
				{ description: "Support", unit_price: 1055 },
			],
		});
		expect(rounded.tax_total).toBe(474);
	});

	it("taxes the next invoice by a rate the tenant adds meanwhile: the account forgets the rates it remembered", async () => {
		const { key } = await germanOssSeller();
		const customer = await buyers(key).germanBuyer();
		const item = { description: "Consulting", unit_price: 10000 };
		const before = await newInvoice(key, customer.id, { finalize: true, items: [item] });
		expect(before.tax_total).toBe(1900);
		const rate = await api("/v1/billing/tax/rates", {
			key,
			body: { country: "DE", tax_code: "standard", rate: "20", valid_from: "2020-01-01" },
		});
		expect(rate.status).toBe(201);
		const after = await newInvoice(key, customer.id, { finalize: true, items: [item] });
		expect(after.tax_total).toBe(2000);
		// The issued invoice keeps its rate.
		expect((await api(`/v1/billing/invoices/${before.id}`, { key })).body.tax_lines[0]).toMatchObject({
			rate: "19",
			amount: 1900,
		});
	});

	it("splits tax-inclusive prices so that net + tax is the price stated", async () => {
		const { key } = await germanOssSeller({ tax_prices_include_tax: true });
		const customer = await buyers(key).germanBuyer();
		const invoice = await newInvoice(key, customer.id, {
			items: [{ description: "Ticket", unit_price: 11900, quantity: 2, discounts: [{ type: "amount", amount: 2380 }] }],
		});
		expect(invoice.lines[0]).toMatchObject({
			amount: 20000,
			discount_amount: 2000,
			net_amount: 18000,
			tax_amount: 3420,
			total: 21420,
		});
		expect(invoice).toMatchObject({ subtotal: 20000, discount_total: 2000, tax_total: 3420, total: 21420 });
	});

	it("keeps explicit taxes exactly as given: S, or Z at rate 0, and no engine", async () => {
		const { key } = await germanOssSeller();
		const customer = await buyers(key).frenchBusiness();
		const invoice = await newInvoice(key, customer.id, {
			items: [
				{ description: "Consulting", unit_price: 1055, taxes: [{ jurisdiction: "DE", rate: 19 }] },
				{ description: "Freight", unit_price: 500, taxes: [{ jurisdiction: "DE", rate: 0 }] },
				{ description: "Untaxed", unit_price: 100, taxes: [] },
			],
		});
		expect(lineTaxes(invoice)).toEqual([
			{
				tax_code: null,
				tax_category: "S",
				tax_amount: 200,
				tax_exemption_reason: null,
				tax_exemption_reason_code: null,
			},
			{ tax_code: null, tax_category: "Z", tax_amount: 0, tax_exemption_reason: null, tax_exemption_reason_code: null },
			{
				tax_code: null,
				tax_category: null,
				tax_amount: 0,
				tax_exemption_reason: null,
				tax_exemption_reason_code: null,
			},
		]);
		expect(invoice.lines[0].taxes).toEqual([{ jurisdiction: "DE", rate: "19", amount: 200, category: "S" }]);
	});

	it("leaves lines untaxed for a tenant without a tax setup, and refuses a tax_code there", async () => {
		const { key } = await newTenant("EUR");
		const customer = await newCustomer(key);
		const invoice = await newInvoice(key, customer.id, { items: [{ description: "Consulting", unit_price: 1000 }] });
		expect(invoice.lines[0]).toMatchObject({ tax_amount: 0, tax_category: null, tax_code: null, taxes: [] });
		const coded = await api("/v1/billing/invoices", {
			key,
			body: { customer_id: customer.id, items: [{ description: "Consulting", unit_price: 1000, tax_code: "reduced" }] },
		});
		expect(fieldsOf(expectProblem(coded, 422, "validation_failed"))).toContain("body:items.0.tax_code");
	});
});

describe("bad input and other tenants", () => {
	it("refuses an unknown tax_code, naming the item's field; nothing is written", async () => {
		const { key } = await germanOssSeller();
		const customer = await buyers(key).germanBuyer();
		const res = await api("/v1/billing/invoices", {
			key,
			body: {
				customer_id: customer.id,
				finalize: true,
				items: [
					{ description: "Consulting", unit_price: 1000 },
					{ description: "Mystery", unit_price: 1000, tax_code: "no_such_code" },
				],
			},
		});
		expect(fieldsOf(expectProblem(res, 422, "validation_failed"))).toEqual(["body:items.1.tax_code"]);
		const list = await api(`/v1/billing/invoices?customer_id=${customer.id}`, { key });
		expect(list.body.data).toEqual([]);
	});

	it("refuses to tax a customer whose tax id is malformed or who has no address, naming customer_id", async () => {
		const { key } = await germanOssSeller();
		const malformed = await newCustomer(key, { billing_address: { country: "FR" }, tax_id: "FR123" });
		const res = await api("/v1/billing/invoices", {
			key,
			body: { customer_id: malformed.id, finalize: true, items: [{ description: "X", unit_price: 100 }] },
		});
		const problem = expectProblem(res, 422, "validation_failed");
		expect(fieldsOf(problem)).toEqual(["body:customer_id"]);
		expect(problem.errors[0].message).toContain("its tax_id");
		const homeless = await newCustomer(key);
		const untaxable = await api("/v1/billing/invoices", {
			key,
			body: { customer_id: homeless.id, items: [{ description: "X", unit_price: 100 }] },
		});
		expect(fieldsOf(expectProblem(untaxable, 422, "validation_failed"))).toEqual(["body:customer_id"]);
		// Explicit taxes need no engine, so no address.
		const explicit = await newInvoice(key, homeless.id, {
			items: [{ description: "X", unit_price: 100, taxes: [{ jurisdiction: "DE", rate: 19 }] }],
		});
		expect(explicit.tax_total).toBe(19);
	});

	it("refuses taxes and a tax_code on one item", async () => {
		const { key } = await germanOssSeller();
		const customer = await buyers(key).germanBuyer();
		const res = await api("/v1/billing/invoices", {
			key,
			body: {
				customer_id: customer.id,
				items: [{ description: "X", unit_price: 1, tax_code: "standard", taxes: [{ jurisdiction: "DE", rate: 19 }] }],
			},
		});
		expect(fieldsOf(expectProblem(res, 422, "validation_failed"))).toContain("body:items.0.tax_code");
	});

	it("refuses a reverse-charged customer without a tax id, and an exempt one without a reason", async () => {
		const { key } = await germanOssSeller();
		const reverse = await api("/v1/billing/customers", {
			key,
			body: { name: "Dupont SARL", billing_address: { country: "FR" }, tax_status: "reverse_charge" },
		});
		expect(fieldsOf(expectProblem(reverse, 422, "validation_failed"))).toEqual(["body:tax_id"]);
		const malformed = await api("/v1/billing/customers", {
			key,
			body: { name: "Dupont", billing_address: { country: "FR" }, tax_id: "FR123", tax_status: "reverse_charge" },
		});
		expect(fieldsOf(expectProblem(malformed, 422, "validation_failed"))).toEqual(["body:tax_id"]);
		const exempt = await api("/v1/billing/customers", {
			key,
			body: { name: "Charity e.V.", billing_address: { country: "DE" }, tax_status: "exempt" },
		});
		expect(fieldsOf(expectProblem(exempt, 422, "validation_failed"))).toEqual(["body:tax_exemption_reason"]);
		const customer = await buyers(key).germanBuyer();
		const patched = await api(`/v1/billing/customers/${customer.id}`, {
			key,
			method: "PATCH",
			body: { tax_status: "reverse_charge" },
		});
		expect(fieldsOf(expectProblem(patched, 422, "validation_failed"))).toEqual(["body:tax_id"]);
	});

	it("taxes an exempt customer's lines E with its reason", async () => {
		const { key } = await germanOssSeller();
		const customer = await newCustomer(key, {
			name: "Charity e.V.",
			billing_address: { country: "DE" },
			tax_status: "exempt",
			tax_exemption_reason: "Exempt under § 4 Nr. 22 UStG",
			tax_exemption_reason_code: "VATEX-EU-132-1I",
		});
		expect(customer).toMatchObject({ tax_status: "exempt", tax_exemption_reason_code: "VATEX-EU-132-1I" });
		const invoice = await newInvoice(key, customer.id, { items: [{ description: "Course", unit_price: 5000 }] });
		expect(lineTaxes(invoice)).toEqual([
			{
				tax_code: "standard",
				tax_category: "E",
				tax_amount: 0,
				tax_exemption_reason: "Exempt under § 4 Nr. 22 UStG",
				tax_exemption_reason_code: "VATEX-EU-132-1I",
			},
		]);
	});

	it("answers 404 for another tenant's invoice; a body naming another tenant's invoice or customer is a 422 naming it", async () => {
		const { key } = await germanOssSeller();
		const other = await germanOssSeller();
		const customer = await buyers(key).frenchConsumer();
		const invoice = await newInvoice(key, customer.id, {
			finalize: true,
			items: [{ description: "Streaming", unit_price: 10000, tax_code: "digital_services" }],
		});
		expectProblem(await api(`/v1/billing/invoices/${invoice.id}`, { key: other.key }), 404, "not_found");
		const note = await api("/v1/billing/credit-notes", {
			key: other.key,
			body: { invoice_id: invoice.id, amount: 100, reason: "Not ours" },
		});
		expect(fieldsOf(expectProblem(note, 422, "validation_failed"))).toEqual(["body:invoice_id"]);
		const foreign = await api("/v1/billing/invoices", {
			key: other.key,
			body: { customer_id: customer.id, finalize: true, items: [{ description: "X", unit_price: 1 }] },
		});
		expect(fieldsOf(expectProblem(foreign, 422, "validation_failed"))).toEqual(["body:customer_id"]);
		const untouched = await api(`/v1/billing/invoices/${invoice.id}`, { key });
		expect(untouched.body).toMatchObject({ amount_credited: 0, tax_total: 2000 });
	});
});

describe("subscriptions taxed by their plan's tax_code", () => {
	it("bills a plan with tax_code reduced at the reduced rate, and refuses an unknown plan tax_code", async () => {
		const { key } = await germanOssSeller();
		const customer = await buyers(key).germanBuyer();
		const plan = await newPlan(key, { amount: 1000, tax_code: "reduced" });
		expect(plan.tax_code).toBe("reduced");
		const sub = await subscribe(key, { customer_id: customer.id, plan_id: plan.id });
		expect(sub.first_invoice.lines[0]).toMatchObject({
			tax_code: "reduced",
			tax_category: "S",
			tax_amount: 70,
			taxes: [{ jurisdiction: "DE", rate: "7", amount: 70, category: "S" }],
		});
		const bad = await api("/v1/billing/plans", {
			key,
			body: { code: "bad", name: "Bad", interval: "month", amount: 1, currency: "EUR", tax_code: "no_such_code" },
		});
		expect(fieldsOf(expectProblem(bad, 422, "validation_failed"))).toEqual(["body:tax_code"]);
	});
});

describe("credit notes and the tax report over engine-taxed invoices", () => {
	it("credits in the category of the line credited, and the report reconciles with the ledger", async () => {
		const { key } = await germanOssSeller();
		const who = buyers(key);
		const [business, consumer, american, german] = await Promise.all([
			who.frenchBusiness(),
			who.frenchConsumer(),
			who.americanBuyer(),
			who.germanBuyer(),
		]);
		const issue = (customerId: string, items: Record<string, unknown>[]) =>
			newInvoice(key, customerId, { finalize: true, items });
		await issue(business.id, [{ description: "Consulting", unit_price: 100000 }]);
		const oss = await issue(consumer.id, [
			{ description: "Streaming", unit_price: 10000, tax_code: "digital_services" },
		]);
		await issue(american.id, [{ description: "Consulting", unit_price: 50000 }]);
		await issue(german.id, [
			{ description: "Consulting", unit_price: 1055 },
			{ description: "Book", unit_price: 1055, tax_code: "reduced" },
			{ description: "Support", unit_price: 1055 },
		]);

		const note = await api("/v1/billing/credit-notes", {
			key,
			body: { invoice_id: oss.id, amount: 1200, reason: "Outage" },
		});
		expect(note.status).toBe(201);
		expect(note.body).toMatchObject({
			amount: 1200,
			net_amount: 1000,
			tax_lines: [
				{
					jurisdiction: "FR",
					category: "S",
					rate: "20",
					taxable_amount: 1000,
					amount: 200,
					exemption_reason: null,
					exemption_reason_code: null,
				},
			],
			lines: [{ line_id: oss.lines[0].id, amount: 1200, net_amount: 1000, tax_amount: 200, tax_category: "S" }],
			legal_notes: [],
		});

		const res = await api(`/v1/billing/tax/reports?from=${today()}&to=${today()}`, { key });
		expect(res.status).toBe(202);
		const job = await waitForJob(key, res.body.id);
		expect(job.status).toBe("succeeded");
		const report = JSON.parse((await api(job.result_url, { key })).text);
		const row = (jurisdiction: string, category: string, rate: string) =>
			report.rows.find(
				(r: { jurisdiction: string; category: string; rate: string }) =>
					r.jurisdiction === jurisdiction && r.category === category && r.rate === rate,
			);
		expect(row("DE", "AE", "0")).toMatchObject({ taxable_base: 100000, tax_charged: 0, net_tax: 0 });
		expect(row("DE", "G", "0")).toMatchObject({ taxable_base: 50000, tax_charged: 0, net_tax: 0 });
		expect(row("DE", "S", "19")).toMatchObject({ taxable_base: 2110, tax_charged: 401, net_tax: 401 });
		expect(row("DE", "S", "7")).toMatchObject({ taxable_base: 1055, tax_charged: 74, net_tax: 74 });
		expect(row("FR", "S", "20")).toMatchObject({
			taxable_base: 10000,
			tax_charged: 2000,
			credit_note_base: 1000,
			credit_note_tax: 200,
			net_taxable_base: 9000,
			net_tax: 1800,
		});
		expect(report.oss_return).toEqual([
			{
				member_state: "FR",
				currency: "EUR",
				rate_type: "standard",
				rate: "20",
				taxable_amount: 9000,
				vat_amount: 1800,
			},
		]);

		// Reverse-charged and zero-rated lines post no tax: Germany's payable is the domestic invoice's alone.
		const ledger = await api(`/v1/billing/ledger/balances?from=${today()}&as_of=${today()}`, { key });
		const payable = (code: string) =>
			-(ledger.body.accounts.find((a: { account_code: string }) => a.account_code === code)?.balance ?? 0);
		expect(report.totals).toEqual([
			{ currency: "EUR", jurisdiction: "DE", net_tax: 475, adjustments: 0, tax_payable_movement: 475 },
			{ currency: "EUR", jurisdiction: "FR", net_tax: 1800, adjustments: 0, tax_payable_movement: 1800 },
		]);
		for (const total of report.totals) {
			expect(total.tax_payable_movement).toBe(payable(`2200-${total.jurisdiction}`));
		}
	});
});
