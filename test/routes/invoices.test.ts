import { describe, expect, it } from "vitest";
import { api, expectProblem, newCustomer, newTenant } from "../helpers/api";
import { newInvoice, sampleItems } from "../helpers/invoices";

describe("invoices", () => {
	it("creates a draft with exact totals, then finalizes it with a number", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const draft = await newInvoice(key, customer.id);
		expect(draft).toMatchObject({
			status: "draft",
			number: null,
			currency: "EUR",
			subtotal: 35000,
			discount_total: 3000,
			tax_total: 6080,
			total: 38080,
			balance: 38080,
		});
		expect(draft.tax_lines).toEqual([{ jurisdiction: "DE", rate: "19", taxable_amount: 32000, amount: 6080 }]);
		const final = await api(`/v1/billing/invoices/${draft.id}/finalize`, { key, method: "POST" });
		expect(final.status).toBe(200);
		expect(final.body.status).toBe("issued");
		expect(final.body.number).toMatch(/^INV-\d{4}-0001$/);
		const again = await api(`/v1/billing/invoices/${draft.id}/finalize`, { key, method: "POST" });
		expect(expectProblem(again, 409, "invalid_state").current_status).toBe("issued");
	});

	it("creates and finalizes in one call", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const invoice = await newInvoice(key, customer.id, { finalize: true });
		expect(invoice.status).toBe("issued");
		expect(invoice.number).toMatch(/-0001$/);
		const history = await api(`/v1/billing/invoices/${invoice.id}/history`, { key });
		expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(["invoice.created", "invoice.finalized"]);
		expect(history.body.audit[1].after.number).toBe(invoice.number);
	});

	it("previews without persisting", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const res = await api("/v1/billing/invoices/preview", {
			key,
			body: { customer_id: customer.id, items: sampleItems },
		});
		expect(res.status).toBe(200);
		expect(res.body.id).toBeNull();
		const list = await api("/v1/billing/invoices", { key });
		expect(list.body.data).toHaveLength(0);
	});
});
