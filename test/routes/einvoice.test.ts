import { env, SELF } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import type { Finding, InvoiceFacts } from "../../src/documents/einvoice/rules";
import { type Decimal, formatDecimal } from "../../src/domain/decimal";
import { api, expectProblem, fieldsOf, newCustomer, newTenant } from "../helpers/api";
import { AUTHORITY, issuedInvoice, SELLER_PROFILE } from "../helpers/einvoice";

// The rule checks' XML reader (xmldom and xpath, pure JS) runs in workerd too; imported by a specifier the
// type checker does not follow, because their typings bring the DOM library, whose crypto types clash with
// the Workers ones.
const READ_XML = "../einvoice/rules/readXml";
const { readInvoice, checkDocument } = (await import(/* @vite-ignore */ READ_XML)) as {
	readInvoice: (xml: string) => InvoiceFacts | Finding;
	checkDocument: (xml: string, extra?: ("peppol" | "xrechnung")[]) => Finding[];
};

async function download(path: string, key: string) {
	const response = await SELF.fetch(`https://billing.test${path}`, { headers: { authorization: `Bearer ${key}` } });
	return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
}

const text = (value: Decimal | undefined) => (value === undefined ? undefined : formatDecimal(value));

function read(xml: string): InvoiceFacts {
	const facts = readInvoice(xml);
	if ("rule" in facts) throw new Error(facts.message);
	return facts;
}

describe("e-invoice data on the API", () => {
	it("keeps the customer's electronic address, buyer reference and preferred format, and the lines' unit codes", async () => {
		const { key, customer, invoice } = await issuedInvoice();
		expect(customer).toMatchObject({
			electronic_address: { value: "04011000-1234512345-06", scheme: "0204" },
			buyer_reference: "04011000-1234512345-06",
			preferred_einvoice_format: "xrechnung",
		});
		expect(invoice.lines.map((l: { unit_code: string }) => l.unit_code)).toEqual(["MON", "C62"]);
		expect(invoice).toMatchObject({ order_reference: "BEST-4711", contract_reference: "RV-2026-17" });
		const settings = await api("/v1/billing/settings", { key });
		expect(settings.body.legal_profile).toMatchObject({ company_id: "HRB 123456 B", contact: SELLER_PROFILE.contact });
		const patched = await api(`/v1/billing/customers/${customer.id}`, {
			key,
			method: "PATCH",
			body: { preferred_einvoice_format: null, buyer_reference: "PO-77" },
		});
		expect(patched.body).toMatchObject({ preferred_einvoice_format: null, buyer_reference: "PO-77" });
	});

	it("refuses an unknown electronic address scheme, a bad Leitweg-ID and an unknown unit code, naming the field", async () => {
		const { key } = await newTenant();
		const scheme = await api("/v1/billing/settings", {
			key,
			method: "PATCH",
			body: { legal_profile: { ...SELLER_PROFILE, electronic_address: { value: "x", scheme: "1234" } } },
		});
		expectProblem(scheme, 422, "validation_failed");
		expect(fieldsOf(scheme.body)).toContain("body:legal_profile.electronic_address.scheme");
		const customerScheme = await api("/v1/billing/customers", {
			key,
			body: { name: "A", electronic_address: { value: "x", scheme: "XX" } },
		});
		expect(fieldsOf(customerScheme.body)).toContain("body:electronic_address.scheme");
		const leitweg = await api("/v1/billing/customers", {
			key,
			body: { ...AUTHORITY, buyer_reference: "04011000-1234512345-07" },
		});
		expectProblem(leitweg, 422, "validation_failed");
		expect(fieldsOf(leitweg.body)).toContain("body:buyer_reference");
		const customer = await newCustomer(key);
		const unit = await api("/v1/billing/invoices", {
			key,
			body: { customer_id: customer.id, items: [{ description: "x", unit_price: 100, unit_code: "PIECES" }] },
		});
		expect(fieldsOf(unit.body)).toContain("body:items.0.unit_code");
	});
});

describe("GET /invoices/{id}/e-invoice", () => {
	it("renders each format once, stores it, lists it in attachments and carries the invoice's figures", async () => {
		const { key, tenantId, invoice } = await issuedInvoice();
		for (const format of ["ubl", "xrechnung", "cii"]) {
			const { response, bytes } = await download(`/v1/billing/invoices/${invoice.id}/e-invoice?format=${format}`, key);
			expect(response.status).toBe(200);
			expect(response.headers.get("content-type")).toBe("application/xml");
			const xml = new TextDecoder().decode(bytes);
			expect(checkDocument(xml)).toEqual([]);
			const facts = read(xml);
			expect(facts.number).toBe(invoice.number);
			// 2 × 49.90 − 10 % = 89.82 at 19 %; 3 × 24.50 = 73.50 at 7 %.
			expect(Object.fromEntries(Object.entries(facts.totals ?? {}).map(([k, v]) => [k, text(v)]))).toEqual({
				lineNetTotal: "163.32",
				taxExclusive: "163.32",
				vatTotal: String(invoice.tax_total / 100),
				taxInclusive: String(invoice.total / 100),
				payable: String(invoice.total / 100),
			});
			expect(
				facts.vatBreakdown?.map((e) => [
					e.category?.code,
					text(e.category?.ratePercent),
					text(e.taxableAmount),
					text(e.taxAmount),
				]),
			).toEqual([
				["S", "19", "89.82", "17.07"],
				["S", "7", "73.5", "5.15"],
			]);
			expect(facts.seller?.vatId).toBe("DE123456789");
			expect(facts.buyerReference).toBe("04011000-1234512345-06");
			expect(facts.purchaseOrderReference).toBe("BEST-4711");
			expect(facts.lines?.map((l) => l.unitCode)).toEqual(["MON", "C62"]);
			const again = await download(`/v1/billing/invoices/${invoice.id}/e-invoice?format=${format}`, key);
			expect(again.bytes).toEqual(bytes);
			const stored = await env.FILES.head(`tenants/${tenantId}/documents/invoice/${invoice.id}.${format}.xml`);
			expect(stored?.size).toBe(bytes.byteLength);
		}
		expect(
			checkDocument(
				new TextDecoder().decode(
					(await download(`/v1/billing/invoices/${invoice.id}/e-invoice?format=xrechnung`, key)).bytes,
				),
				["xrechnung"],
			),
		).toEqual([]);
		const resource = await api(`/v1/billing/invoices/${invoice.id}`, { key });
		const kinds = resource.body.attachments.map((a: { kind: string }) => a.kind).sort();
		expect(kinds).toEqual(["einvoice_cii", "einvoice_ubl", "einvoice_xrechnung"]);
		expect(resource.body.attachments).toContainEqual(
			expect.objectContaining({
				kind: "einvoice_xrechnung",
				content_type: "application/xml",
				url: `/v1/billing/invoices/${invoice.id}/e-invoice?format=xrechnung`,
			}),
		);
	});

	it("wraps the CII in the invoice PDF for Factur-X", async () => {
		const { key, invoice } = await issuedInvoice();
		const { response, bytes } = await download(`/v1/billing/invoices/${invoice.id}/e-invoice?format=facturx`, key);
		expect(response.status).toBe(200);
		expect(response.headers.get("content-type")).toBe("application/pdf");
		const pdf = new TextDecoder("latin1").decode(bytes);
		expect(pdf).toContain("factur-x.xml");
		expect(pdf).toContain("/AFRelationship /Alternative");
	});

	it("stores one file when the first requests race", async () => {
		const { key, tenantId, invoice } = await issuedInvoice();
		const downloads = await Promise.all(
			Array.from({ length: 4 }, () => download(`/v1/billing/invoices/${invoice.id}/e-invoice?format=ubl`, key)),
		);
		expect(downloads.map((d) => d.response.status)).toEqual([200, 200, 200, 200]);
		expect(new Set(downloads.map((d) => d.response.headers.get("etag"))).size).toBe(1);
		const rows = await env.DB.prepare(
			"select sha256 from documents where tenant_id = ? and source_id = ? and format = 'ubl'",
		)
			.bind(tenantId, invoice.id)
			.all();
		expect(rows.results).toHaveLength(1);
	});

	it("refuses a draft (409), an unknown format (422), missing data with its rule (422) and another tenant's id (404)", async () => {
		const { key, customer, invoice } = await issuedInvoice();
		const draft = await api("/v1/billing/invoices", {
			key,
			body: { customer_id: customer.id, items: [{ description: "x", unit_price: 100 }] },
		});
		expectProblem(
			await api(`/v1/billing/invoices/${draft.body.id}/e-invoice?format=ubl`, { key }),
			409,
			"invalid_state",
		);
		const unknown = await api(`/v1/billing/invoices/${invoice.id}/e-invoice?format=pdf`, { key });
		expectProblem(unknown, 422, "validation_failed");
		expect(fieldsOf(unknown.body)).toContain("query:format");
		const other = await newTenant();
		expectProblem(
			await api(`/v1/billing/invoices/${invoice.id}/e-invoice?format=ubl`, { key: other.key }),
			404,
			"not_found",
		);

		// No Leitweg-ID and no seller contact: XRechnung cannot be made, nor Peppol without an order or buyer reference.
		const bare = await issuedInvoice(
			{ ...SELLER_PROFILE, contact: null },
			{ ...AUTHORITY, buyer_reference: undefined, preferred_einvoice_format: undefined },
		);
		const xrechnung = await api(`/v1/billing/invoices/${bare.invoice.id}/e-invoice?format=xrechnung`, {
			key: bare.key,
		});
		expectProblem(xrechnung, 422, "validation_failed");
		expect(fieldsOf(xrechnung.body)).toEqual(["query:format"]);
		const rules = xrechnung.body.rules.map((r: { rule: string }) => r.rule);
		expect(rules).toEqual(expect.arrayContaining(["BR-DE-15", "BR-DE-2"]));
		const noBuyerAddress = await issuedInvoice(SELLER_PROFILE, {
			name: "Nowhere Ltd",
			electronic_address: { value: "nowhere@example.com", scheme: "EM" },
		});
		const ubl = await api(`/v1/billing/invoices/${noBuyerAddress.invoice.id}/e-invoice?format=ubl`, {
			key: noBuyerAddress.key,
		});
		expectProblem(ubl, 422, "validation_failed");
		expect(ubl.body.rule).toMatch(/^(BR|PEPPOL)-/);
		// Nothing was stored for a refused format.
		const resource = await api(`/v1/billing/invoices/${bare.invoice.id}`, { key: bare.key });
		expect(resource.body.attachments.filter((a: { kind: string }) => a.kind.startsWith("einvoice"))).toEqual([]);
	});
});

describe("e-invoices of engine-taxed invoices", () => {
	// A German seller, OSS-registered, taxed by the engine: what each buyer's lines get is what the file says.
	async function engineTaxed(buyer: Record<string, unknown>) {
		const { key } = await newTenant();
		const settings = await api("/v1/billing/settings", {
			key,
			method: "PATCH",
			body: { legal_profile: SELLER_PROFILE, tax_origin_country: "DE", tax_oss_registered: true },
		});
		expect(settings.status).toBe(200);
		// What Peppol asks of every buyer: a reference and an electronic address (here a GLN).
		const customer = await newCustomer(key, {
			...buyer,
			buyer_reference: "PO-4711",
			electronic_address: { value: "4012345000009", scheme: "0088" },
		});
		const invoice = await api("/v1/billing/invoices", {
			key,
			body: {
				customer_id: customer.id,
				items: [{ description: "Consulting", quantity: 2, unit_price: 50000 }],
				finalize: true,
			},
		});
		expect(invoice.status).toBe(201);
		const { response, bytes } = await download(`/v1/billing/invoices/${invoice.body.id}/e-invoice?format=ubl`, key);
		const xml = new TextDecoder().decode(bytes);
		expect(response.status, xml).toBe(200);
		return xml;
	}

	it.each([
		[
			"reverse charged to a French business",
			{
				name: "Dupont SARL",
				billing_address: { city: "Paris", postal_code: "75001", country: "FR" },
				tax_id: "FR40303265045",
			},
			"AE",
		],
		[
			"zero rated for export to the United States",
			{ name: "Acme Inc.", billing_address: { city: "New York", postal_code: "10001", state: "NY", country: "US" } },
			"G",
		],
	])("is %s: the category and its exemption reason in the VAT breakdown, no tax", async (_, buyer, category) => {
		const xml = await engineTaxed(buyer);
		expect(checkDocument(xml)).toEqual([]);
		const facts = read(xml);
		expect(facts.vatBreakdown?.map((e) => [e.category?.code, text(e.taxableAmount), text(e.taxAmount)])).toEqual([
			[category, "1000", "0"],
		]);
		expect(facts.vatBreakdown?.[0]?.exemptionReasonCode ?? facts.vatBreakdown?.[0]?.exemptionReason).toBeTruthy();
		expect(facts.lines?.map((l) => l.vat?.code)).toEqual([category]);
	});
});

describe("GET /credit-notes/{id}/e-invoice", () => {
	it("is a 381 naming the invoice it corrects, with the credited amount split by rate", async () => {
		const { key, invoice } = await issuedInvoice();
		const note = await api("/v1/billing/credit-notes", {
			key,
			body: { invoice_id: invoice.id, amount: 5000, reason: "Service outage" },
		});
		expect(note.status).toBe(201);
		for (const format of ["ubl", "cii"]) {
			const { response, bytes } = await download(
				`/v1/billing/credit-notes/${note.body.id}/e-invoice?format=${format}`,
				key,
			);
			expect(response.status).toBe(200);
			const xml = new TextDecoder().decode(bytes);
			expect(checkDocument(xml)).toEqual([]);
			const facts = read(xml);
			expect(facts.typeCode).toBe("381");
			expect(facts.precedingInvoices).toEqual([{ number: invoice.number, issueDate: invoice.issue_date }]);
			expect(text(facts.totals?.payable)).toBe("50");
			expect(facts.vatBreakdown?.map((e) => text(e.category?.ratePercent))).toEqual(["19", "7"]);
		}
	});
});

describe("the invoice email", () => {
	const emailApi = () => `http://127.0.0.1:${inject("emailApiPort")}`;
	type Mail = { To: string; Attachments: { Name: string; ContentType: string; Content: string }[] };

	/** An invoice issued to an authority that receives email through the fake email API. */
	async function issuedToEmail(preferred: string | undefined, withBuyerReference: boolean) {
		const tenant = await newTenant();
		await api("/v1/billing/settings", {
			key: tenant.key,
			method: "PATCH",
			body: { email_transport: { provider: "http", endpoint: `${emailApi()}/email`, token: "pm-test-token" } },
		});
		const email = `einvoice-${tenant.tenantId.toLowerCase()}@ba-mitte.example`;
		const { invoice } = await issuedInvoice(
			SELLER_PROFILE,
			{
				...AUTHORITY,
				email,
				preferred_einvoice_format: preferred,
				buyer_reference: withBuyerReference ? AUTHORITY.buyer_reference : undefined,
			},
			tenant,
		);
		return { key: tenant.key, email, invoice };
	}

	const mailTo = async (email: string) =>
		((await (await fetch(`${emailApi()}/received`)).json()) as Mail[]).find((m) => m.To === email);
	const attachedText = (content = "") =>
		new TextDecoder().decode(Uint8Array.from(atob(content), (c) => c.charCodeAt(0)));

	async function sendByEmail(preferred: string | undefined, withBuyerReference = true) {
		const { key, email, invoice } = await issuedToEmail(preferred, withBuyerReference);
		const sent = await api(`/v1/billing/invoices/${invoice.id}/send`, { key, body: {} });
		return { sent, invoice, mail: await mailTo(email) };
	}

	async function sendCreditNoteByEmail(preferred: string | undefined, withBuyerReference = true) {
		const { key, email, invoice } = await issuedToEmail(preferred, withBuyerReference);
		const note = await api("/v1/billing/credit-notes", {
			key,
			body: { invoice_id: invoice.id, amount: 1190, reason: "Returned handbook" },
		});
		expect(note.status).toBe(201);
		const sent = await api(`/v1/billing/credit-notes/${note.body.id}/send`, { key, method: "POST" });
		return { sent, invoice, note: note.body, mail: await mailTo(email) };
	}

	it("attaches the customer's preferred e-invoice besides the PDF", async () => {
		const { sent, invoice, mail } = await sendByEmail("xrechnung");
		expect(sent.status).toBe(200);
		expect(mail?.Attachments.map((a) => [a.Name, a.ContentType])).toEqual([
			[`${invoice.number}.pdf`, "application/pdf"],
			[`${invoice.number}.xrechnung.xml`, "application/xml"],
		]);
		const xml = attachedText(mail?.Attachments[1]?.Content);
		expect(checkDocument(xml, ["xrechnung"])).toEqual([]);
	});

	it("attaches the preferred e-invoice to a credit note's email too: a CreditNote naming the invoice", async () => {
		const { sent, invoice, note, mail } = await sendCreditNoteByEmail("xrechnung");
		expect(sent.status).toBe(200);
		expect(mail?.Attachments.map((a) => [a.Name, a.ContentType])).toEqual([
			[`${note.number}.pdf`, "application/pdf"],
			[`${note.number}.xrechnung.xml`, "application/xml"],
		]);
		const xml = attachedText(mail?.Attachments[1]?.Content);
		expect(checkDocument(xml, ["xrechnung"])).toEqual([]);
		expect(xml).toContain("<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>");
		expect(xml).toContain(`<cbc:ID>${invoice.number}</cbc:ID>`);
		const facturx = await sendCreditNoteByEmail("facturx");
		expect(facturx.mail?.Attachments.map((a) => a.Name)).toEqual([`${facturx.note.number}.pdf`]);
		expect(atob(facturx.mail?.Attachments[0]?.Content ?? "")).toContain("factur-x.xml");
	});

	it("sends the Factur-X PDF in the plain PDF's place, and only the PDF when nothing is preferred", async () => {
		const facturx = await sendByEmail("facturx");
		expect(facturx.mail?.Attachments.map((a) => a.Name)).toEqual([`${facturx.invoice.number}.pdf`]);
		expect(atob(facturx.mail?.Attachments[0]?.Content ?? "")).toContain("factur-x.xml");
		const plain = await sendByEmail(undefined);
		expect(plain.mail?.Attachments.map((a) => a.ContentType)).toEqual(["application/pdf"]);
	});

	it("refuses, with the rule, to send when the preferred format cannot be made from the invoice's data", async () => {
		const { sent, mail } = await sendByEmail("xrechnung", false);
		expectProblem(sent, 422, "validation_failed");
		expect(sent.body.rule).toBe("BR-DE-15");
		expect(mail).toBeUndefined();
		const note = await sendCreditNoteByEmail("xrechnung", false);
		expectProblem(note.sent, 422, "validation_failed");
		expect(note.sent.body.rule).toBe("BR-DE-15");
		expect(fieldsOf(note.sent.body)).toEqual(["path:id"]);
		expect(note.mail).toBeUndefined();
	});
});
