import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, expectProblem, fieldsOf, newCustomer, newKey, newTenant } from "../helpers/api";

async function sellerIn(country: string, extra: Record<string, unknown> = {}) {
	const tenant = await newTenant("EUR");
	const res = await api("/v1/billing/settings", {
		key: tenant.key,
		method: "PATCH",
		body: { tax_origin_country: country, ...extra },
	});
	if (res.status !== 200) throw new Error(`settings: ${res.status} ${res.text}`);
	return tenant;
}

const calculate = (key: string, body: Record<string, unknown>) =>
	api("/v1/billing/tax/calculate", { key, body: { supply_date: "2025-03-01", ...body } });

describe("POST /v1/billing/tax/calculate", () => {
	it("a German seller: reverse charge to a French business, French VAT to a French consumer with OSS, export to the US", async () => {
		const { key } = await sellerIn("DE", { tax_oss_registered: true });
		const business = await calculate(key, {
			address: { country: "FR", postal_code: "75001" },
			tax_id: "FR 40 303265045",
			items: [{ description: "Consulting", amount: 100000 }],
		});
		expect(business.status).toBe(200);
		expect(business.body).toMatchObject({
			object: "tax_calculation",
			currency: "EUR",
			tax_rounding: "per_invoice",
			buyer: { country: "FR", tax_id: "FR40303265045", tax_status: "taxable" },
			lines: [{ description: "Consulting", net_amount: 100000, tax_amount: 0, total: 100000, tax_category: "AE" }],
			tax_lines: [
				{
					jurisdiction: "DE",
					category: "AE",
					rate: "0",
					taxable_amount: 100000,
					amount: 0,
					exemption_reason: "Reverse charge",
					exemption_reason_code: "VATEX-EU-AE",
				},
			],
			notes: [{ category: "AE", text: "Reverse charge", code: "VATEX-EU-AE" }],
			subtotal: 100000,
			tax_total: 0,
			total: 100000,
		});

		const consumer = await calculate(key, {
			address: { country: "FR" },
			items: [{ amount: 100000, tax_code: "digital_services" }],
		});
		expect(consumer.body.tax_lines).toEqual([
			{
				jurisdiction: "FR",
				category: "S",
				rate: "20",
				taxable_amount: 100000,
				amount: 20000,
				exemption_reason: null,
				exemption_reason_code: null,
			},
		]);
		expect(consumer.body.total).toBe(120000);

		const us = await calculate(key, { address: { country: "US", state: "NY" }, items: [{ amount: 5000 }] });
		expect(us.body.lines[0]).toMatchObject({ tax_category: "G", tax_amount: 0 });
		expect(us.body.notes).toEqual([{ category: "G", text: "Export outside the EU", code: "VATEX-EU-G" }]);
	});

	it("rounds per the tenant's setting and splits tax-inclusive prices exactly", async () => {
		const { key } = await sellerIn("DE");
		const items = [{ amount: 2 }, { amount: 2 }, { amount: 2 }];
		expect((await calculate(key, { address: { country: "DE" }, items })).body.tax_total).toBe(1);
		await api("/v1/billing/settings", { key, method: "PATCH", body: { tax_rounding: "per_line" } });
		const perLine = await calculate(key, { address: { country: "DE" }, items });
		expect([perLine.body.tax_rounding, perLine.body.tax_total]).toEqual(["per_line", 0]);
		const inclusive = await calculate(key, {
			address: { country: "DE" },
			prices_include_tax: true,
			items: [{ amount: 11900 }, { amount: 999 }],
		});
		expect(
			inclusive.body.lines.map((l: { net_amount: number; tax_amount: number }) => l.net_amount + l.tax_amount),
		).toEqual([11900, 999]);
		expect(inclusive.body.total).toBe(12899);
	});

	it("refuses bad input with 422 naming the field", async () => {
		const { key } = await sellerIn("DE");
		const cases: [Record<string, unknown>, string][] = [
			[{ address: { country: "XX" }, items: [{ amount: 1 }] }, "body:address.country"],
			[{ address: { country: "US", state: "ZZ" }, items: [{ amount: 1 }] }, "body:address.state"],
			[{ address: { country: "FR" }, items: [{ amount: 1, tax_code: "luxury" }] }, "body:items.0.tax_code"],
			[{ address: { country: "FR" }, tax_status: "reverse_charge", items: [{ amount: 1 }] }, "body:tax_id"],
			[{ address: { country: "FR" }, tax_id: "FR12345678901", items: [{ amount: 1 }] }, "body:tax_id"],
			[{ address: { country: "DE" }, supply_date: "2023-06-30", items: [{ amount: 1 }] }, "body:supply_date"],
			[{ address: { country: "DE" }, tax_status: "exempt", items: [{ amount: 1 }] }, "body:exemption_reason"],
			[{ address: { country: "DE" }, items: [{ amount: -1 }] }, "body:items.0.amount"],
			[{ address: { country: "DE" }, items: [] }, "body:items"],
		];
		for (const [body, field] of cases) {
			const problem = expectProblem(await calculate(key, body), 422, "validation_failed");
			expect(fieldsOf(problem), JSON.stringify(body)).toEqual([field]);
		}
		expect(
			(await calculate(key, { address: { country: "DE" }, supply_date: "2023-06-30", items: [{ amount: 1 }] })).body
				.detail,
		).toContain("2024-01-01");
	});

	it("takes the buyer from a customer of the tenant; another tenant's customer is 404", async () => {
		const { key } = await sellerIn("DE");
		const customer = await newCustomer(key, {
			currency: "EUR",
			billing_address: { line1: "1 rue de Rivoli", postal_code: "75001", country: "FR" },
			tax_id: "FR40303265045",
		});
		const res = await calculate(key, { customer_id: customer.id, items: [{ amount: 1000, supply_type: "goods" }] });
		expect(res.status).toBe(200);
		expect(res.body.buyer).toMatchObject({ country: "FR", postal_code: "75001", tax_id: "FR40303265045" });
		expect(res.body.lines[0].tax_category).toBe("K");
		// An address given in the request replaces the customer's; the customer's tax id must still be of its country.
		const elsewhere = await calculate(key, {
			customer_id: customer.id,
			address: { country: "DE" },
			items: [{ amount: 1000 }],
		});
		expect(fieldsOf(expectProblem(elsewhere, 422, "validation_failed"))).toEqual(["body:tax_id"]);

		const withoutAddress = await newCustomer(key);
		const missing = await calculate(key, { customer_id: withoutAddress.id, items: [{ amount: 1 }] });
		expect(fieldsOf(expectProblem(missing, 422, "validation_failed"))).toEqual(["body:address"]);
		const neither = await calculate(key, { items: [{ amount: 1 }] });
		expect(fieldsOf(expectProblem(neither, 422, "validation_failed"))).toEqual(["body:address"]);

		const other = await sellerIn("DE");
		expectProblem(await calculate(other.key, { customer_id: customer.id, items: [{ amount: 1 }] }), 404, "not_found");
	});

	it("needs the tenant's origin country first, and a reader may calculate", async () => {
		const { key } = await newTenant();
		const problem = expectProblem(
			await calculate(key, { address: { country: "DE" }, items: [{ amount: 1 }] }),
			409,
			"invalid_state",
		);
		expect(problem.setting).toBe("tax_origin_country");
		const seller = await sellerIn("DE");
		const reader = await newKey(seller.key, "billing_reader");
		expect(
			(await calculate(reader.secret, { address: { country: "DE" }, items: [{ amount: 100 }] })).body.tax_total,
		).toBe(19);
	});
});

describe("tax rates", () => {
	it("lists the built-in rates of a country on a date, with their sources", async () => {
		const { key } = await newTenant();
		const before = await api("/v1/billing/tax/rates?country=FI&date=2024-08-31", { key });
		const after = await api("/v1/billing/tax/rates?country=FI&date=2024-09-01", { key });
		const standard = (res: typeof before) => res.body.data.find((r: { tax_code: string }) => r.tax_code === "standard");
		expect(standard(before)).toMatchObject({ id: null, rate: "24", valid_to: "2024-08-31", source: "fi-vat-2024" });
		expect(standard(after)).toMatchObject({ rate: "25.5", valid_from: "2024-09-01", valid_to: null });
		expect(after.body.sources.map((s: { id: string }) => s.id)).toEqual(["fi-vat-2024", "fi-vat-2026"]);
		const bc = await api("/v1/billing/tax/rates?country=CA&region=BC&date=2025-01-01", { key });
		expect(bc.body.data.map((r: { name: string; rate: string }) => [r.name, r.rate])).toEqual([
			["GST", "5"],
			["PST", "7"],
		]);
	});

	it("refuses an unknown country or region and a date before the table", async () => {
		const { key } = await newTenant();
		expect(
			fieldsOf(expectProblem(await api("/v1/billing/tax/rates?country=XX", { key }), 422, "validation_failed")),
		).toEqual(["query:country"]);
		expect(
			fieldsOf(
				expectProblem(await api("/v1/billing/tax/rates?country=US&region=ZZ", { key }), 422, "validation_failed"),
			),
		).toEqual(["query:region"]);
		expect(
			fieldsOf(
				expectProblem(await api("/v1/billing/tax/rates?country=DE&date=2023-12-31", { key }), 422, "validation_failed"),
			),
		).toEqual(["query:date"]);
	});

	it("adds a tenant's US rates that the engine stacks, visible to that tenant only", async () => {
		const { key } = await sellerIn("US", { tax_origin_region: "CA" });
		const state = await api("/v1/billing/tax/rates", {
			key,
			body: {
				country: "US",
				region: "CA",
				tax_code: "standard",
				rate: "7.25",
				name: "Sales tax",
				valid_from: "2024-01-01",
			},
		});
		expect(state.status).toBe(201);
		expect(state.body).toMatchObject({
			object: "tax_rate",
			id: expect.stringMatching(/^txr_/),
			jurisdiction: "US-CA",
			rate: "7.25",
			category: "S",
			stacking: "add",
			valid_to: null,
			source: "tenant",
		});
		const county = await api("/v1/billing/tax/rates", {
			key,
			body: {
				country: "US",
				region: "CA",
				postal_prefix: "900",
				jurisdiction: "US-CA-LA",
				tax_code: "standard",
				rate: 2.25,
				valid_from: "2024-01-01",
			},
		});
		expect(county.status).toBe(201);
		const la = await calculate(key, {
			address: { country: "US", state: "CA", postal_code: "90012" },
			items: [{ amount: 10000 }],
		});
		expect(
			la.body.lines[0].taxes.map((t: { jurisdiction: string; amount: number }) => [t.jurisdiction, t.amount]),
		).toEqual([
			["US-CA", 725],
			["US-CA-LA", 225],
		]);
		const listed = await api("/v1/billing/tax/rates?country=US&region=CA&date=2025-01-01", { key });
		expect(listed.body.data.map((r: { id: string }) => r.id)).toEqual([state.body.id, county.body.id]);

		const other = await sellerIn("US", { tax_origin_region: "CA" });
		expect((await api("/v1/billing/tax/rates?country=US&region=CA", { key: other.key })).body.data).toEqual([]);
		const otherLa = await calculate(other.key, {
			address: { country: "US", state: "CA", postal_code: "90012" },
			items: [{ amount: 10000 }],
		});
		expect(fieldsOf(expectProblem(otherLa, 422, "validation_failed"))).toEqual(["body:items.0.tax_code"]);
	});

	it("lets a tenant override a built-in rate and define its own code", async () => {
		const { key } = await sellerIn("DE");
		await api("/v1/billing/tax/rates", {
			key,
			body: { country: "DE", tax_code: "books", rate: "7", valid_from: "2024-01-01" },
		});
		const books = await calculate(key, { address: { country: "DE" }, items: [{ amount: 1000, tax_code: "books" }] });
		expect(books.body.tax_total).toBe(70);
		await api("/v1/billing/tax/rates", {
			key,
			body: { country: "DE", tax_code: "standard", rate: "16", valid_from: "2020-07-01", valid_to: "2020-12-31" },
		});
		const covid = await calculate(key, {
			address: { country: "DE" },
			supply_date: "2020-10-01",
			items: [{ amount: 1000 }],
		});
		expect(covid.body.tax_total).toBe(160);
	});

	it("refuses bad rates naming the field, and an overlap with the tenant's own as a conflict", async () => {
		const { key } = await newTenant();
		const bad: [Record<string, unknown>, string][] = [
			[{ country: "XX", tax_code: "standard", rate: "5", valid_from: "2024-01-01" }, "body:country"],
			[{ country: "US", region: "ZZ", tax_code: "standard", rate: "5", valid_from: "2024-01-01" }, "body:region"],
			[{ country: "US", tax_code: "Standard!", rate: "5", valid_from: "2024-01-01" }, "body:tax_code"],
			[{ country: "US", tax_code: "exempt", rate: "5", valid_from: "2024-01-01" }, "body:tax_code"],
			[{ country: "US", tax_code: "standard", rate: "101", valid_from: "2024-01-01" }, "body:rate"],
			[{ country: "US", tax_code: "standard", rate: 0.1, valid_from: "2024-13-01" }, "body:valid_from"],
			[
				{ country: "US", tax_code: "standard", rate: "5", valid_from: "2024-02-01", valid_to: "2024-01-01" },
				"body:valid_to",
			],
			[
				{ country: "US", tax_code: "standard", rate: "5", jurisdiction: "CA-ON", valid_from: "2024-01-01" },
				"body:jurisdiction",
			],
		];
		for (const [body, field] of bad) {
			const problem = expectProblem(await api("/v1/billing/tax/rates", { key, body }), 422, "validation_failed");
			expect(fieldsOf(problem), JSON.stringify(body)).toEqual([field]);
		}
		const first = await api("/v1/billing/tax/rates", {
			key,
			body: { country: "US", region: "TX", tax_code: "standard", rate: "6.25", valid_from: "2024-01-01" },
		});
		expect(first.status).toBe(201);
		const overlapping = await api("/v1/billing/tax/rates", {
			key,
			body: { country: "US", region: "TX", tax_code: "standard", rate: "6.5", valid_from: "2025-01-01" },
		});
		expect(expectProblem(overlapping, 409, "conflict").conflicting_id).toBe(first.body.id);
	});

	it("two rates for the same place added at once: one is created, the other is a conflict", async () => {
		const { key } = await newTenant();
		const results = await Promise.all(
			["6.25", "6.5"].map((rate) =>
				api("/v1/billing/tax/rates", {
					key,
					body: { country: "US", region: "TX", tax_code: "standard", rate, valid_from: "2024-01-01" },
				}),
			),
		);
		expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
		const listed = await api("/v1/billing/tax/rates?country=US&region=TX&date=2025-01-01", { key });
		expect(listed.body.data).toHaveLength(1);
		// The database itself refuses an overlapping row, whatever wrote it.
		const { tenant_id } = (await api("/v1/billing/settings", { key })).body;
		const overlapping = env.DB.prepare(
			`insert into tax_rates (id, tenant_id, country, region, postal_prefix, tax_code, jurisdiction, name, rate,
				category, stacking, valid_from, valid_to, created_at)
			values ('txr_overlap', ?, 'US', 'TX', null, 'standard', 'US-TX', 'Tax', '7', 'S', 'add', '2030-01-01', null, '')`,
		).bind(tenant_id);
		await expect(overlapping.run()).rejects.toThrow(/tax_rate_overlap/);
	});

	it("needs tax:write to add a rate", async () => {
		const { key } = await newTenant();
		const reader = await newKey(key, "billing_reader");
		const res = await api("/v1/billing/tax/rates", {
			key: reader.secret,
			body: { country: "US", region: "TX", tax_code: "standard", rate: "6.25", valid_from: "2024-01-01" },
		});
		expectProblem(res, 403, "forbidden");
	});
});

describe("tax settings", () => {
	it("are part of the settings resource, validated, versioned and audited", async () => {
		const { key } = await newTenant();
		const initial = await api("/v1/billing/settings", { key });
		expect(initial.body).toMatchObject({
			tax_rounding: "per_invoice",
			tax_prices_include_tax: false,
			tax_origin_country: null,
			tax_origin_region: null,
			tax_registrations: [],
			tax_oss_registered: false,
			tax_eu_distance_sales_above_threshold: false,
		});
		expect(initial.headers.get("etag")).toBe(`"${initial.body.version}"`);
		const updated = await api("/v1/billing/settings", {
			key,
			method: "PATCH",
			headers: { "if-match": `"${initial.body.version}"` },
			body: {
				tax_origin_country: "CA",
				tax_origin_region: "ON",
				tax_registrations: [{ country: "CA", region: "BC" }],
				tax_rounding: "per_line",
			},
		});
		expect(updated.status).toBe(200);
		expect(updated.body).toMatchObject({
			tax_origin_country: "CA",
			tax_origin_region: "ON",
			tax_registrations: [{ country: "CA", region: "BC" }],
			tax_rounding: "per_line",
		});
		expect(updated.body.version).toBeGreaterThan(initial.body.version);

		const stale = await api("/v1/billing/settings", {
			key,
			method: "PATCH",
			headers: { "if-match": `"${initial.body.version}"` },
			body: { tax_rounding: "per_invoice" },
		});
		expectProblem(stale, 412, "precondition_failed");
		const staleBody = await api("/v1/billing/settings", {
			key,
			method: "PATCH",
			body: { tax_rounding: "per_invoice", version: initial.body.version },
		});
		expectProblem(staleBody, 409, "version_conflict");
		expect((await api("/v1/billing/settings", { key })).body.tax_rounding).toBe("per_line");

		const badRegion = await api("/v1/billing/settings", { key, method: "PATCH", body: { tax_origin_region: "ZZ" } });
		expect(fieldsOf(expectProblem(badRegion, 422, "validation_failed"))).toEqual(["body:tax_origin_region"]);
		const badRegistration = await api("/v1/billing/settings", {
			key,
			method: "PATCH",
			body: { tax_registrations: [{ country: "US", region: "ZZ" }] },
		});
		expect(fieldsOf(expectProblem(badRegistration, 422, "validation_failed"))).toEqual([
			"body:tax_registrations.0.region",
		]);
		const badCountry = await api("/v1/billing/settings", { key, method: "PATCH", body: { tax_origin_country: "XX" } });
		expect(fieldsOf(expectProblem(badCountry, 422, "validation_failed"))).toEqual(["body:tax_origin_country"]);

		const audit = await api("/v1/billing/audit?action=settings.updated", { key });
		expect(audit.status).toBe(200);
	});

	it("two concurrent updates naming the same version: one wins, the other is refused", async () => {
		const { key } = await newTenant();
		const { version } = (await api("/v1/billing/settings", { key })).body;
		const results = await Promise.all(
			["per_line", "per_invoice"].map((tax_rounding) =>
				api("/v1/billing/settings", { key, method: "PATCH", body: { tax_rounding, version } }),
			),
		);
		expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
	});

	it("two concurrent updates without a version both apply, neither losing the other's field", async () => {
		const { key } = await newTenant();
		const results = await Promise.all([
			api("/v1/billing/settings", { key, method: "PATCH", body: { tax_rounding: "per_line" } }),
			api("/v1/billing/settings", { key, method: "PATCH", body: { tax_origin_country: "AT" } }),
		]);
		expect(results.map((r) => r.status)).toEqual([200, 200]);
		expect((await api("/v1/billing/settings", { key })).body).toMatchObject({
			tax_rounding: "per_line",
			tax_origin_country: "AT",
		});
	});
});

describe("POST /v1/billing/tax-providers", () => {
	it("stores the secret encrypted and never returns it; another tenant does not see it", async () => {
		const { key } = await newTenant();
		const created = await api("/v1/billing/tax-providers", {
			key,
			body: {
				name: "Local tax service",
				endpoint_url: "https://tax.example.com/v1",
				secret: "sk_provider_secret_3f9a",
			},
		});
		expect(created.status).toBe(201);
		expect(created.body).toEqual({
			object: "tax_provider",
			id: expect.stringMatching(/^txp_/),
			name: "Local tax service",
			endpoint_url: "https://tax.example.com/v1",
			secret_hint: "…3f9a",
			created_at: expect.any(String),
		});
		expect(created.text).not.toContain("sk_provider_secret");
		const stored = await env.DB.prepare("select secret_ciphertext from tax_providers where id = ?")
			.bind(created.body.id)
			.first<{ secret_ciphertext: string }>();
		expect(stored?.secret_ciphertext).toMatch(/^v1\./);
		expect(stored?.secret_ciphertext).not.toContain("sk_provider_secret");
		const audit = await api("/v1/billing/audit?action=tax_provider.created", { key });
		expect(JSON.stringify(audit.body)).not.toContain("sk_provider_secret");

		const listed = await api("/v1/billing/tax-providers", { key });
		expect(listed.body.data.map((p: { id: string }) => p.id)).toEqual([created.body.id]);
		const other = await newTenant();
		expect((await api("/v1/billing/tax-providers", { key: other.key })).body.data).toEqual([]);
	});

	it("refuses a private or malformed endpoint and a short secret", async () => {
		const { key } = await newTenant();
		const privateTarget = await api("/v1/billing/tax-providers", {
			key,
			body: { name: "x", endpoint_url: "https://10.0.0.5/tax", secret: "long-enough-secret" },
		});
		expect(fieldsOf(expectProblem(privateTarget, 422, "validation_failed"))).toEqual(["body:endpoint_url"]);
		const short = await api("/v1/billing/tax-providers", {
			key,
			body: { name: "x", endpoint_url: "https://tax.example.com", secret: "short" },
		});
		expect(fieldsOf(expectProblem(short, 422, "validation_failed"))).toEqual(["body:secret"]);
	});
});

describe("GET /v1/billing/compliance/countries", () => {
	it("lists tax id schemes and e-invoicing mandates with their sources", async () => {
		const { key } = await newTenant();
		const all = await api("/v1/billing/compliance/countries", { key });
		expect(all.status).toBe(200);
		expect(all.body.data).toHaveLength(37);
		expect(all.body.as_of).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		const de = await api("/v1/billing/compliance/countries?country=DE", { key });
		expect(de.body.data).toHaveLength(1);
		expect(de.body.data[0]).toMatchObject({
			object: "compliance_country",
			country: "DE",
			eu_member: true,
			vat_id_prefix: "DE",
			tax_id: { name: "USt-IdNr.", checksum: true },
			produced_formats: [],
		});
		const b2b = de.body.data[0].mandates.filter((m: { scope: string }) => m.scope === "B2B");
		expect(b2b.map((m: { obligation: string; since: string }) => [m.obligation, m.since])).toEqual([
			["receive", "2025-01-01"],
			["issue", "2027-01-01"],
			["issue", "2028-01-01"],
		]);
		for (const country of all.body.data) {
			for (const mandate of country.mandates) {
				expect(mandate.source.length).toBeGreaterThan(0);
				for (const format of mandate.formats) expect(all.body.formats[format]).toBeDefined();
			}
		}
		const gr = all.body.data.find((c: { country: string }) => c.country === "GR");
		expect(gr.vat_id_prefix).toBe("EL");
		expect(
			fieldsOf(
				expectProblem(await api("/v1/billing/compliance/countries?country=ZZ", { key }), 422, "validation_failed"),
			),
		).toEqual(["query:country"]);
	});
});

describe("retries and the API document", () => {
	it("a retried rate creation with the same Idempotency-Key answers the first rate and adds no second one", async () => {
		const { key } = await newTenant();
		const body = { country: "US", region: "WA", tax_code: "standard", rate: "6.5", valid_from: "2024-01-01" };
		const headers = { "Idempotency-Key": "rate-wa-1" };
		const first = await api("/v1/billing/tax/rates", { key, body, headers });
		const retry = await api("/v1/billing/tax/rates", { key, body, headers });
		expect([first.status, retry.status]).toEqual([201, 201]);
		expect(retry.headers.get("idempotent-replayed")).toBe("true");
		expect(retry.body.id).toBe(first.body.id);
		const listed = await api("/v1/billing/tax/rates?country=US&region=WA&date=2025-01-01", { key });
		expect(listed.body.data).toHaveLength(1);
	});

	it("documents every tax route", async () => {
		const doc = (await api("/openapi.json")).body;
		expect(Object.keys(doc.paths)).toEqual(
			expect.arrayContaining([
				"/v1/billing/tax/calculate",
				"/v1/billing/tax/rates",
				"/v1/billing/tax-providers",
				"/v1/billing/compliance/countries",
			]),
		);
		expect(doc.paths["/v1/billing/tax/rates"].post.operationId).toBe("createTaxRate");
	});
});
