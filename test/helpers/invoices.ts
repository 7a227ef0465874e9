import { api } from "./api";

export const sampleItems = [
	{
		description: "Consulting",
		sku: "CONS-H",
		quantity: 2.5,
		unit_price: 12000,
		discounts: [{ type: "percent", percent: 10 }],
		taxes: [{ jurisdiction: "DE", rate: 19 }],
	},
	{ description: "Licence", quantity: 1, unit_price: 5000, taxes: [{ jurisdiction: "DE", rate: 19 }] },
];

export async function newInvoice(key: string, customerId: string, overrides: Record<string, unknown> = {}) {
	const res = await api("/v1/billing/invoices", {
		key,
		body: { customer_id: customerId, items: sampleItems, ...overrides },
	});
	if (res.status !== 201) throw new Error(`invoice creation failed: ${res.status} ${res.text}`);
	return res.body;
}
