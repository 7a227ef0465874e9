import { describe, expect, it } from "vitest";
import { isLeitwegId, leitwegCheckDigits } from "../../src/domain/leitwegId";

describe("Leitweg-ID", () => {
	it.each([
		"04011000-1234512345-06", // KoSIT's example with a fine address
		"991-33333TEST-33", // the XRechnung test suite's
		"992-90009-96",
		"04011000-12345ABCXYZ-86",
	])("accepts %s", (id) => {
		expect(isLeitwegId(id)).toBe(true);
	});

	it.each([
		["04011000-1234512345-07", "a wrong check digit"],
		["04011000-1234512345", "no check digits"],
		["4-1234-06", "a coarse address of one digit"],
		["0401100012345-ABC-06", "a coarse address of 13 digits"],
		["04011000-abc-06", "lower-case letters"],
		["04011000--06", "an empty fine address"],
		[`04011000-${"A".repeat(31)}-06`, "a fine address of 31 characters"],
		["", "nothing"],
	])("refuses %s (%s)", (id) => {
		expect(isLeitwegId(id)).toBe(false);
	});

	it("computes the check digits with ISO 7064 MOD 97-10, letters counting 10 to 35", () => {
		expect(leitwegCheckDigits("040110001234512345")).toBe("06");
		expect(leitwegCheckDigits("99133333TEST")).toBe("33");
		for (let coarse = 10; coarse < 400; coarse += 7) {
			const id = `${coarse}-${leitwegCheckDigits(String(coarse))}`;
			expect(isLeitwegId(id)).toBe(true);
		}
	});
});
