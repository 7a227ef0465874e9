// The rule checks agree with the official validators: every official example passes them, and every
// broken copy fails with the rule its file name names (XSD-named copies fail the XSD instead).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { checkDocument } from "./rules/readXml";
import { VALIDATOR_ROOT, xsdFindings } from "./validator";

const OFFICIAL = path.join(VALIDATOR_ROOT, "examples/official");
const BROKEN = path.join(VALIDATOR_ROOT, "examples/broken");

const officialFiles = readdirSync(OFFICIAL).flatMap((folder) =>
	readdirSync(path.join(OFFICIAL, folder))
		.filter((name) => name.endsWith(".xml"))
		.map((name) => `${folder}/${name}`),
);

/** What each broken copy breaks, by its file name. */
const BROKEN_RULES: Record<string, string> = {
	"cii-BR-07-no-buyer-name.xml": "BR-07",
	"cii-BR-CL-18-bad-vat-category.xml": "BR-CL-18",
	"cii-BR-CO-15-wrong-total.xml": "BR-CO-15",
	"cii-XSD-unknown-element.xml": "XSD",
	"cn-BR-06-no-seller-name.xml": "BR-06",
	"not-an-invoice.xml": "UNKNOWN-SYNTAX",
	"not-well-formed.xml": "NOT-WELL-FORMED",
	"peppol-CL008-bad-endpoint-scheme.xml": "PEPPOL-EN16931-CL008",
	"peppol-R003-no-buyer-reference.xml": "PEPPOL-EN16931-R003",
	"ubl-BR-07-no-buyer-name.xml": "BR-07",
	"ubl-BR-CL-17-bad-vat-category.xml": "BR-CL-17",
	"ubl-BR-CO-10-line-sum.xml": "BR-CO-10",
	"ubl-BR-CO-15-wrong-total.xml": "BR-CO-15",
	"ubl-XSD-unknown-element.xml": "XSD",
	"xr-cii-BR-DE-1-no-payment-means.xml": "BR-DE-1",
	"xr-ubl-BR-DE-15-no-buyer-reference.xml": "BR-DE-15",
};

describe("official examples", () => {
	test("all 63 are there", () => {
		expect(officialFiles).toHaveLength(63);
	});

	test.each(officialFiles)("%s passes every rule check", (file) => {
		const findings = checkDocument(readFileSync(path.join(OFFICIAL, file), "utf8"));
		expect(findings).toEqual([]);
	});
});

describe("broken copies", () => {
	test("every broken copy is accounted for", () => {
		expect(readdirSync(BROKEN).sort()).toEqual(Object.keys(BROKEN_RULES).sort());
	});

	test.each(Object.entries(BROKEN_RULES))("%s fails %s", async (file, rule) => {
		const location = path.join(BROKEN, file);
		if (rule === "XSD") {
			expect((await xsdFindings(location)).some((line) => line.startsWith("fatal [xsd]"))).toBe(true);
			return;
		}
		const rules = checkDocument(readFileSync(location, "utf8")).map((f) => f.rule);
		expect(rules).toContain(rule);
	});
});
