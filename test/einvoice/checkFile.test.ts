// Checks one e-invoice file from outside the suite, e.g. one downloaded from a running server:
//   EINVOICE_FILE=invoice.xml npx vitest run --project einvoice test/einvoice/checkFile.test.ts
// It passes the official XSD (../shared/validators/en16931/validate.sh) and the project's rule checks, the
// rule sets its CustomizationID declares (EN 16931, Peppol BIS 3, XRechnung). Skipped without EINVOICE_FILE.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { checkDocument } from "./rules/readXml";
import { xsdFindings } from "./validator";

const file = process.env.EINVOICE_FILE;

describe.skipIf(!file)("the file in EINVOICE_FILE", () => {
	const absolute = path.resolve(process.env.INIT_CWD ?? process.cwd(), file ?? "");

	test("passes the XSD", async () => {
		expect(await xsdFindings(absolute)).toEqual([]);
	});

	test("passes the rule checks", () => {
		expect(checkDocument(readFileSync(absolute, "utf8"))).toEqual([]);
	});
});
