import { describe, expect, it } from "vitest";
import { api, newCustomer, newTenant } from "../helpers/api";

describe("smoke", () => {
	it("creates a tenant and a customer", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		expect(customer.id).toMatch(/^cus_/);
		const res = await api(`/v1/billing/customers/${customer.id}`, { key });
		expect(res.status).toBe(200);
		expect(res.body.name).toBe("Acme GmbH");
	});
});
