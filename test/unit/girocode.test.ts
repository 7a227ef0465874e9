import { describe, expect, it } from "vitest";
import { girocodePayload, qrModules } from "../../src/documents/girocode";

const payment = {
	beneficiary: "Müller GmbH",
	iban: "DE89 3704 0044 0532 0130 00",
	bic: "COBADEFFXXX",
	reference: "INV-2026-0001",
};

describe("girocodePayload", () => {
	it("follows EPC069-12 version 002 with the amount in euros", () => {
		expect(girocodePayload(payment, 123456, "EUR")).toBe(
			[
				"BCD",
				"002",
				"1",
				"SCT",
				"COBADEFFXXX",
				"Müller GmbH",
				"DE89370400440532013000",
				"EUR1234.56",
				"",
				"",
				"INV-2026-0001",
			].join("\n"),
		);
	});

	it("leaves the BIC empty when there is none", () => {
		expect(girocodePayload({ ...payment, bic: null }, 1, "EUR")?.split("\n")[4]).toBe("");
	});

	it("has no code for other currencies, nothing due, or more than the format carries", () => {
		expect(girocodePayload(payment, 100, "GBP")).toBeNull();
		expect(girocodePayload(payment, 0, "EUR")).toBeNull();
		expect(girocodePayload(payment, 100_000_000_000, "EUR")).toBeNull();
	});
});

describe("qrModules", () => {
	it("is a square matrix with the three finder patterns", () => {
		const modules = qrModules(girocodePayload(payment, 5000, "EUR") as string);
		const size = modules.length;
		expect(modules.every((row) => row.length === size)).toBe(true);
		for (const [row, col] of [
			[0, 0],
			[0, size - 7],
			[size - 7, 0],
		] as const) {
			expect(modules[row]?.slice(col, col + 7).every(Boolean)).toBe(true);
		}
	});
});
