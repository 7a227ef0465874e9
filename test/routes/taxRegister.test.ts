import { describe, expect, inject, it } from "vitest";
import { FAKE_TAX_DOWN_SECRET, FAKE_TAX_SECRET } from "../fakes/taxService";
import { api, expectProblem, fieldsOf, newCustomer, newTenant } from "../helpers/api";
import { newInvoice } from "../helpers/invoices";

const register = (key: string, body: Record<string, unknown>) => api("/v1/billing/tax/register", { key, body });

async function issuedInvoice(key: string) {
	const customer = await newCustomer(key);
	return newInvoice(key, customer.id, { finalize: true });
}

async function provider(key: string, secret: string) {
	const res = await api("/v1/billing/tax-providers", {
		key,
		body: { name: "Tax service", endpoint_url: `${inject("taxServiceUrl")}/registrations`, secret },
	});
	expect(res.status).toBe(201);
	return res.body.id as string;
}

type Received = { authorization: string; idempotency_key: string; body: any; id: string };
const receivedFor = async (idempotencyKey: string): Promise<Received[]> => {
	const all = (await (await fetch(`${inject("taxServiceUrl")}/received`)).json()) as Received[];
	return all.filter((r) => r.idempotency_key === idempotencyKey);
};

describe("POST /v1/billing/tax/register", () => {
	it("records an issued invoice with the internal provider, once", async () => {
		const { key } = await newTenant();
		const invoice = await issuedInvoice(key);
		const first = await register(key, { invoice_id: invoice.id });
		expect(first.status).toBe(201);
		expect(first.body).toMatchObject({
			object: "tax_registration",
			invoice_id: invoice.id,
			provider: "internal",
			status: "registered",
			provider_reference: first.body.id,
			error: null,
			attempts: 1,
		});
		const again = await register(key, { invoice_id: invoice.id, provider: "internal" });
		expect(again.status).toBe(200);
		expect(again.body).toEqual(first.body);
		const audit = await api(`/v1/billing/audit?target_id=${invoice.id}`, { key });
		expect(audit.body.data.filter((a: { action: string }) => a.action === "tax_registration.registered")).toHaveLength(
			1,
		);
	});

	it("sends the invoice's tax lines to an external provider with its secret and keeps the provider's id", async () => {
		const { key } = await newTenant();
		const invoice = await issuedInvoice(key);
		const providerId = await provider(key, FAKE_TAX_SECRET);
		const res = await register(key, { invoice_id: invoice.id, provider: providerId });
		expect(res.status).toBe(201);
		expect(res.body).toMatchObject({ provider: providerId, status: "registered", attempts: 1 });
		expect(res.body.provider_reference).toMatch(/^reg_\d+$/);
		const [received, ...more] = await receivedFor(`${invoice.id}:${providerId}`);
		expect(more).toEqual([]);
		expect(received?.authorization).toBe(`Bearer ${FAKE_TAX_SECRET}`);
		expect(received?.id).toBe(res.body.provider_reference);
		expect(received?.body).toEqual({
			invoice: {
				id: invoice.id,
				number: invoice.number,
				issue_date: invoice.issue_date,
				currency: "EUR",
				customer_id: invoice.customer_id,
				subtotal: invoice.subtotal,
				discount_total: invoice.discount_total,
				tax_total: invoice.tax_total,
				total: invoice.total,
			},
			tax_lines: [{ jurisdiction: "DE", rate: "19", taxable_amount: 32000, amount: 6080 }],
		});
		// Asked again, the registration already made answers without calling the service.
		const again = await register(key, { invoice_id: invoice.id, provider: providerId });
		expect(again.status).toBe(200);
		expect(again.body.provider_reference).toBe(res.body.provider_reference);
		expect(await receivedFor(`${invoice.id}:${providerId}`)).toHaveLength(1);
	});

	it("concurrent registrations of one invoice with one provider end in one registration", async () => {
		const { key } = await newTenant();
		const invoice = await issuedInvoice(key);
		const providerId = await provider(key, FAKE_TAX_SECRET);
		const answers = await Promise.all([
			register(key, { invoice_id: invoice.id, provider: providerId }),
			register(key, { invoice_id: invoice.id, provider: providerId }),
			register(key, { invoice_id: invoice.id }),
			register(key, { invoice_id: invoice.id }),
		]);
		expect(answers.map((a) => a.status).every((s) => s === 200 || s === 201)).toBe(true);
		const [external1, external2, internal1, internal2] = answers.map((a) => a.body);
		expect(external1.id).toBe(external2.id);
		expect(external1.provider_reference).toBe(external2.provider_reference);
		expect(internal1.id).toBe(internal2.id);
		expect(internal1.id).not.toBe(external1.id);
	});

	it("records a provider's failure with its error and answers 502; a retry tries again", async () => {
		const { key } = await newTenant();
		const invoice = await issuedInvoice(key);
		const providerId = await provider(key, FAKE_TAX_DOWN_SECRET);
		const failed = expectProblem(
			await register(key, { invoice_id: invoice.id, provider: providerId }),
			502,
			"upstream_failed",
		);
		expect(failed.registration).toMatchObject({ status: "failed", provider_reference: null, attempts: 1 });
		expect(failed.registration.error).toContain("503");
		expect(failed.registration.error).toContain("maintenance window");
		const retried = expectProblem(
			await register(key, { invoice_id: invoice.id, provider: providerId }),
			502,
			"upstream_failed",
		);
		expect(retried.registration).toMatchObject({ id: failed.registration.id, status: "failed", attempts: 2 });
		const audit = await api(`/v1/billing/audit?target_id=${invoice.id}`, { key });
		expect(audit.body.data.filter((a: { action: string }) => a.action === "tax_registration.failed")).toHaveLength(2);
	});

	it("refuses a draft (409), another tenant's invoice or provider (404) and bad input (422)", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const draft = await newInvoice(key, customer.id);
		expectProblem(await register(key, { invoice_id: draft.id }), 409, "invalid_state");
		const other = await newTenant();
		const theirInvoice = await issuedInvoice(other.key);
		const theirProvider = await provider(other.key, FAKE_TAX_SECRET);
		expectProblem(await register(key, { invoice_id: theirInvoice.id }), 404, "not_found");
		const mine = await issuedInvoice(key);
		expectProblem(await register(key, { invoice_id: mine.id, provider: theirProvider }), 404, "not_found");
		const bad = expectProblem(
			await register(key, { invoice_id: "nope", provider: "avalara" }),
			422,
			"validation_failed",
		);
		expect(fieldsOf(bad)).toEqual(expect.arrayContaining(["body:invoice_id", "body:provider"]));
	});
});
