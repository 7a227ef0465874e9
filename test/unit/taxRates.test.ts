import { describe, expect, it } from "vitest";
import { parseDecimal } from "../../src/domain/decimal";
import { RATE_SCALE } from "../../src/domain/invoiceTotals";
import { BUILT_IN_RATES, RATE_SOURCES, TABLE_START } from "../../src/domain/tax/builtInRates";
import { EU_MEMBER_STATES } from "../../src/domain/tax/countries";
import { applicableRates, BUILT_IN_RECORDS, type RateRecord, ratesInForce } from "../../src/domain/tax/rates";

const standardOn = (country: string, date: string, region: string | null = null) =>
	applicableRates(BUILT_IN_RECORDS, { country, region, postalCode: null, taxCode: "standard", date }).map(
		(r) => r.rate,
	);

describe("the built-in rate table", () => {
	it("has a standard rate for every EU member state and the other covered countries on every day from its start", () => {
		const countries = [...EU_MEMBER_STATES, "GB", "CH", "NO", "AU", "NZ", "JP", "SG", "IN", "CA"];
		for (const date of [TABLE_START, "2024-09-01", "2025-07-01", "2026-12-31"]) {
			for (const country of countries) expect(standardOn(country, date), `${country} ${date}`).toHaveLength(1);
		}
		expect(standardOn("DE", "2023-12-31")).toEqual([]);
	});

	it("keeps each code's history without gaps or overlaps, with exact rates and a cited source", () => {
		const sources = new Set(RATE_SOURCES.map((s) => s.id));
		const series = new Map<string, typeof BUILT_IN_RATES>();
		for (const rate of BUILT_IN_RATES) {
			expect(parseDecimal(rate.rate, RATE_SCALE), `${rate.country} ${rate.rate}`).not.toBeNull();
			expect(sources.has(rate.source), rate.source).toBe(true);
			const key = `${rate.country}/${rate.region}/${rate.taxCode}/${rate.jurisdiction}`;
			series.set(key, [...(series.get(key) ?? []), rate]);
		}
		for (const [key, rates] of series) {
			const sorted = [...rates].sort((a, b) => a.validFrom.localeCompare(b.validFrom));
			for (let i = 1; i < sorted.length; i++) {
				const previousEnd = sorted[i - 1]?.validTo;
				expect(previousEnd, key).not.toBeNull();
				const next = new Date(`${previousEnd}T00:00:00Z`);
				next.setUTCDate(next.getUTCDate() + 1);
				expect(next.toISOString().slice(0, 10), key).toBe(sorted[i]?.validFrom);
			}
		}
	});

	it("records the recent changes", () => {
		expect([standardOn("FI", "2024-08-31"), standardOn("FI", "2024-09-01")]).toEqual([["24"], ["25.5"]]);
		expect([standardOn("EE", "2025-06-30"), standardOn("EE", "2025-07-01")]).toEqual([["22"], ["24"]]);
		expect([standardOn("SK", "2024-12-31"), standardOn("SK", "2025-01-01")]).toEqual([["20"], ["23"]]);
		expect([standardOn("RO", "2025-07-31"), standardOn("RO", "2025-08-01")]).toEqual([["19"], ["21"]]);
		expect([standardOn("CA", "2025-03-31", "NS"), standardOn("CA", "2025-04-01", "NS")]).toEqual([["15"], ["14"]]);
		expect(standardOn("CH", "2025-01-01")).toEqual(["8.1"]);
		const finnishReduced = (date: string) =>
			applicableRates(BUILT_IN_RECORDS, {
				country: "FI",
				region: null,
				postalCode: null,
				taxCode: "reduced",
				date,
			}).map((r) => r.rate);
		expect([finnishReduced("2025-12-31"), finnishReduced("2026-01-01")]).toEqual([["14"], ["13.5"]]);
	});

	it("stacks and replaces regional rates", () => {
		expect(standardOn("CA", "2025-01-01", "BC")).toEqual(["5", "7"]);
		expect(standardOn("CA", "2025-01-01", "ON")).toEqual(["13"]);
		expect(standardOn("CA", "2025-01-01", "AB")).toEqual(["5"]);
		expect(standardOn("ES", "2025-01-01", "CN")).toEqual(["7"]);
	});

	it("lists what is in force, a tenant's rate in place of the built-in one it overrides", () => {
		const override: RateRecord = {
			...(BUILT_IN_RECORDS.find((r) => r.country === "DE" && r.taxCode === "standard") as RateRecord),
			rate: "16",
			id: "txr_1",
			source: "tenant",
		};
		const listed = ratesInForce([...BUILT_IN_RECORDS, override], { country: "DE", region: null, date: "2025-01-01" });
		expect(listed.map((r) => [r.taxCode, r.rate, r.id])).toEqual([
			["reduced", "7", null],
			["standard", "16", "txr_1"],
		]);
	});
});
