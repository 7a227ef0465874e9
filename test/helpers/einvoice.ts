import { expect } from "vitest";
import { api, newCustomer, newTenant } from "./api";

/** A German seller with everything XRechnung asks of it. */
export const SELLER_PROFILE = {
	legal_name: "Muster Software GmbH",
	address_lines: ["Friedrichstraße 100", "10117 Berlin"],
	tax_id: "DE123456789",
	registration: "Amtsgericht Berlin-Charlottenburg HRB 123456 B",
	company_id: "HRB 123456 B",
	iban: "DE75 5121 0800 1245 1261 99",
	bic: "SOGEDEFFXXX",
	electronic_address: { value: "DE123456789", scheme: "9930" },
	contact: { name: "Erika Mustermann", phone: "+49 30 1234567", email: "billing@muster.example" },
	postal_address: { line1: "Friedrichstraße 100", city: "Berlin", postal_code: "10117", country: "DE" },
};

/** A German authority that wants XRechnung, with its Leitweg-ID. */
export const AUTHORITY = {
	name: "Bezirksamt Mitte von Berlin",
	email: "einkauf@ba-mitte.example",
	billing_address: { line1: "Karl-Marx-Allee 31", city: "Berlin", postal_code: "10178", country: "DE" },
	electronic_address: { value: "04011000-1234512345-06", scheme: "0204" },
	buyer_reference: "04011000-1234512345-06",
	preferred_einvoice_format: "xrechnung",
};

/** A German authority invoiced at 19 % and 7 %, with unit codes and an order reference. */
export async function issuedInvoice(
	profile: Record<string, unknown> = SELLER_PROFILE,
	buyer: Record<string, unknown> = AUTHORITY,
	/** A tenant set up already (e.g. with an email transport); a new one otherwise. */
	existing?: { tenantId: string; key: string },
) {
	const tenant = existing ?? (await newTenant());
	const settings = await api("/v1/billing/settings", {
		key: tenant.key,
		method: "PATCH",
		body: { legal_profile: profile },
	});
	expect(settings.status).toBe(200);
	const customer = await newCustomer(tenant.key, buyer);
	const invoice = await api("/v1/billing/invoices", {
		key: tenant.key,
		body: {
			customer_id: customer.id,
			order_reference: "BEST-4711",
			contract_reference: "RV-2026-17",
			items: [
				{
					description: "Cloud subscription",
					quantity: 2,
					unit_code: "MON",
					unit_price: 4990,
					discounts: [{ type: "percent", percent: 10 }],
					taxes: [{ jurisdiction: "DE", rate: 19 }],
				},
				{ description: "Handbook", quantity: 3, unit_price: 2450, taxes: [{ jurisdiction: "DE", rate: 7 }] },
			],
			finalize: true,
		},
	});
	expect(invoice.status).toBe(201);
	return { ...tenant, customer, invoice: invoice.body };
}
