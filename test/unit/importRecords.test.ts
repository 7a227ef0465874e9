import { describe, expect, it } from "vitest";
import { isLineError, mappingErrors, readRecords } from "../../src/domain/importRecords";

const shape = { fields: ["name", "amount", "billing_address.country"], integers: ["amount"] };

describe("readRecords", () => {
	it("reads CSV with quoted commas and line breaks, numbering each record by the line it starts on", () => {
		const text =
			'Name,Betrag,Land,Notiz\n"Müller, Söhne",100,DE,x\n\n"Two\nlines",7,FR,"a ""quote"""\r\nPlain,abc,,y\n';
		const read = readRecords(text, "csv", { Betrag: "amount", Land: "billing_address.country", Name: "name" }, shape);
		expect(read).toEqual({
			records: [
				{ line: 2, fields: { name: "Müller, Söhne", amount: 100, billing_address: { country: "DE" } } },
				{ line: 4, fields: { name: "Two\nlines", amount: 7, billing_address: { country: "FR" } } },
				{ line: 6, fields: { name: "Plain", amount: "abc" } },
			],
		});
	});

	it("reports a row of the wrong width, a mapped column the header lacks, and an empty file", () => {
		const short = readRecords("name,amount\na,1\nb\n", "csv", {}, shape);
		expect("records" in short && short.records[1]).toMatchObject({ line: 3, code: "malformed_csv" });
		expect(readRecords("name\nx\n", "csv", { Betrag: "amount" }, shape)).toMatchObject({
			fatal: { line: 1, field: "mapping.Betrag" },
		});
		expect(readRecords("", "csv", {}, shape)).toMatchObject({ fatal: { line: 1 } });
	});

	it("reads NDJSON lines as objects with mapped keys, and reports lines that are not", () => {
		const read = readRecords('{"Name":"a","amount":1}\n\nnot json\n[1]\n', "ndjson", { Name: "name" }, shape);
		if (!("records" in read)) throw new Error("expected records");
		expect(read.records[0]).toEqual({ line: 1, fields: { name: "a", amount: 1 } });
		expect(read.records.slice(1).map((r) => isLineError(r) && [r.line, r.code])).toEqual([
			[3, "malformed_json"],
			[4, "malformed_json"],
		]);
	});

	it("reads 10,000 rows, numbering them", () => {
		const rows = Array.from({ length: 10_000 }, (_, i) => `n${i},${i}`);
		const read = readRecords(`name,amount\n${rows.join("\n")}\n`, "csv", {}, shape);
		if (!("records" in read)) throw new Error("expected records");
		expect(read.records).toHaveLength(10_000);
		expect(read.records.at(-1)).toEqual({ line: 10_001, fields: { name: "n9999", amount: 9999 } });
	});
});

describe("mappingErrors", () => {
	it("names the mapping's column whose field the import does not have", () => {
		expect(mappingErrors({ Betrag: "amount", Typo: "amout" }, shape)).toEqual([
			{ field: "mapping.Typo", message: expect.stringContaining("'amout' is not a field") },
		]);
	});
});
