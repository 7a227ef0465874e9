import { describe, expect, it } from "vitest";
import { checkTaxId, hasTaxIdScheme, taxIdScheme } from "../../src/domain/tax/taxIds";

// Cross-checked against python-stdnum 1.18 (an independent implementation of the same check digits).
const VALID: Record<string, string[]> = {
	AT: ["ATU13585627", "ATU11506627"],
	BE: ["BE0403170701", "BE0403073701"],
	DE: ["DE233695976", "DE136695976"],
	DK: ["DK13585628", "DK13525668"],
	EE: ["EE140331558", "EE100931558"],
	FI: ["FI20774740", "FI20274770"],
	FR: ["FR40303265045"],
	GR: ["EL094258219", "EL094259216"],
	HR: ["HR33382005661", "HR33392035661"],
	HU: ["HU12892312", "HU12892381"],
	IT: ["IT00743110157", "IT00733210157"],
	LU: ["LU15027442", "LU15027341"],
	MT: ["MT11679112", "MT21679018"],
	NL: ["NL004495445B01", "NL004492845B01"],
	PL: ["PL8567346215", "PL8877346215"],
	PT: ["PT501964843", "PT501864849"],
	RO: ["RO18847190", "RO18644292"],
	SE: ["SE123456789701", "SE123457779701"],
	SI: ["SI50223054", "SI50223097"],
	SK: ["SK2022749619", "SK2020749610"],
	GB: ["GB985180684", "GB930780664"],
	CH: ["CHE107787577MWST", "CHE147717577MWST"],
	NO: ["NO995525828MVA", "NO945545828MVA"],
	AU: ["83914571673"],
	IN: ["27AAPFU0939F1ZV", "28AAPFU0937F1ZV"],
};

const WRONG_CHECK_DIGIT: Record<string, string[]> = {
	AT: ["ATU13558527", "ATU13516627"],
	BE: ["BE0408170701", "BE0401170701"],
	DE: ["DE136095996", "DE136695076"],
	DK: ["DK13085622", "DK13585328"],
	EE: ["EE100931858", "EE100431558"],
	FI: ["FI21774740", "FI40771748"],
	FR: ["FR40309865045", "FR40306265045"],
	GR: ["EL094252266", "EL094579216"],
	HR: ["HR37392025961", "HR33992005961"],
	HU: ["HU12892332", "HU92892312"],
	IT: ["IT00783110157", "IT00753110157"],
	LU: ["LU15031542", "LU15027443"],
	MT: ["MT11670112", "MT18679112"],
	NL: ["NL004195445B61", "NL004495545B91"],
	PL: ["PL0167346215", "PL8577346215"],
	PT: ["PT521984843", "PT531964843"],
	RO: ["RO01547090", "RO13561290"],
	SE: ["SE123459789751", "SE123055789701"],
	SI: ["SI51223054", "SI50253054"],
	SK: ["SK2022749699", "SK2532749611"],
	GB: ["GB980730684", "GB980780688"],
	CH: ["CHE102787577MWST", "CHE147987577MWST"],
	NO: ["NO995526828MVA", "NO995425828MVA"],
	AU: ["63918171673", "43914561643"],
	IN: ["27AAPFU0739F1ZV", "27AAPFU0934F1ZV"],
};

describe("tax ids", () => {
	it("accepts valid ids of every scheme, normalized", () => {
		for (const [country, ids] of Object.entries(VALID)) {
			for (const id of ids)
				expect(checkTaxId(country, id), `${country} ${id}`).toMatchObject({ valid: true, normalized: id });
		}
	});

	it("refuses a wrong check digit, naming the scheme", () => {
		for (const [country, ids] of Object.entries(WRONG_CHECK_DIGIT)) {
			for (const id of ids) {
				const check = checkTaxId(country, id);
				expect(check.valid, `${country} ${id}`).toBe(false);
			}
		}
		expect(checkTaxId("DE", "DE136695977")).toEqual({
			valid: false,
			reason: "has a wrong check digit for a DE USt-IdNr.",
		});
	});

	it("refuses the wrong format, with an example", () => {
		expect(checkTaxId("DE", "DE12345")).toEqual({
			valid: false,
			reason: "is not a DE USt-IdNr. (for example DE136695976)",
		});
		expect(checkTaxId("FR", "DE136695976").valid).toBe(false);
	});

	it("normalizes separators, case and missing prefixes", () => {
		expect(checkTaxId("DE", "de 136.695.976")).toMatchObject({ valid: true, normalized: "DE136695976" });
		expect(checkTaxId("DE", "136695976")).toMatchObject({ valid: true, normalized: "DE136695976" });
		expect(checkTaxId("GR", "094259216")).toMatchObject({ valid: true, normalized: "EL094259216" });
		expect(checkTaxId("CH", "CHE-107.787.577 MWST")).toMatchObject({ valid: true, normalized: "CHE107787577MWST" });
		expect(checkTaxId("NO", "995 525 828 MVA")).toMatchObject({ valid: true, normalized: "NO995525828MVA" });
		expect(checkTaxId("AU", "83 914 571 673")).toMatchObject({ valid: true, normalized: "83914571673" });
	});

	it("accepts ids of countries without a known scheme as letters and digits", () => {
		expect(hasTaxIdScheme("BR")).toBe(false);
		expect(checkTaxId("BR", "12.345.678/0001-95")).toMatchObject({
			valid: true,
			normalized: "12345678000195",
			scheme: "unverified",
		});
		expect(checkTaxId("BR", "12#4").valid).toBe(false);
	});

	it("describes each scheme", () => {
		expect(taxIdScheme("IN")).toEqual({ name: "GSTIN", example: "27AAPFU0939F1ZV", checksum: true });
		expect(taxIdScheme("ES")).toEqual({ name: "NIF", example: "ESA13585625", checksum: false });
		expect(taxIdScheme("US")).toBeNull();
	});
});
