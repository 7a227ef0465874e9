import { describe, expect, it } from "vitest";
import { complianceCountries, E_INVOICE_FORMATS, PRODUCED_FORMATS } from "../../src/domain/tax/compliance";
import { EU_MEMBER_STATES } from "../../src/domain/tax/countries";

describe("compliance countries", () => {
	const countries = complianceCountries();

	it("covers every EU member state with the EU's B2G rule, plus the other countries of the rate table", () => {
		expect(countries.map((c) => c.country)).toEqual([
			...EU_MEMBER_STATES,
			"GB",
			"CH",
			"NO",
			"AU",
			"NZ",
			"JP",
			"SG",
			"IN",
			"CA",
			"US",
		]);
		for (const country of countries.filter((c) => c.eu_member)) {
			expect(country.mandates[0]).toMatchObject({ scope: "B2G", obligation: "receive", since: "2019-04-18" });
		}
	});

	it("names known formats, dates and a source for every mandate, and produces only formats a mandate names", () => {
		for (const country of countries) {
			for (const mandate of country.mandates) {
				expect(mandate.since, country.country).toMatch(/^\d{4}-\d{2}-\d{2}$/);
				expect(mandate.source.length, country.country).toBeGreaterThan(10);
				for (const format of mandate.formats) expect(Object.keys(E_INVOICE_FORMATS)).toContain(format);
			}
			const named = new Set(country.mandates.flatMap((m) => m.formats));
			for (const format of country.produced_formats) {
				expect(named.has(format)).toBe(true);
				expect(PRODUCED_FORMATS).toContain(format);
			}
		}
	});

	it("gives each country's tax id scheme and VAT prefix", () => {
		const byCountry = new Map(countries.map((c) => [c.country, c]));
		expect(byCountry.get("GR")).toMatchObject({ vat_id_prefix: "EL", tax_id: { checksum: true } });
		expect(byCountry.get("IN")?.tax_id).toMatchObject({ name: "GSTIN", checksum: true });
		expect(byCountry.get("US")).toMatchObject({ vat_id_prefix: null, tax_id: null, mandates: [] });
		expect(byCountry.get("IT")?.mandates.map((m) => [m.scope, m.since])).toEqual([
			["B2G", "2019-04-18"],
			["B2G", "2015-03-31"],
			["B2B", "2019-01-01"],
		]);
	});
});
