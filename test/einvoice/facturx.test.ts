// Factur-X: the CII XML embedded in the PDF comes back out byte for byte with pdfdetach (poppler-utils)
// and passes the XSD and the rule checks, for an invoice and a credit note; the PDF declares PDF/A-3b and the
// Factur-X EN 16931 profile.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { beforeAll, describe, expect, test } from "vitest";
import { renderCii } from "../../src/documents/einvoice/cii";
import { embedFacturX, FACTURX_FILE_NAME } from "../../src/documents/einvoice/facturx";
import type { EInvoice } from "../../src/documents/einvoice/model";
import { creditNote, domesticTwoRates } from "./fixtures";
import { checkDocument } from "./rules/readXml";
import { xsdFindings } from "./validator";

const run = promisify(execFile);
const scratch = mkdtempSync(path.join(tmpdir(), "facturx-"));

/** The PDF the documents renderer would hand over: one page of text. */
async function documentPdf(title: string): Promise<Uint8Array> {
	const doc = await PDFDocument.create();
	const font = await doc.embedFont(StandardFonts.Helvetica);
	doc.addPage().drawText(title, { x: 50, y: 750, size: 14, font });
	return doc.save();
}

const documents: [string, EInvoice, string][] = [
	["invoice", domesticTwoRates, "Rechnung RE-2026-0001"],
	["credit-note", creditNote, "Gutschrift GS-2026-0001"],
];

describe.each(documents)("embedFacturX, %s", (name, model, title) => {
	const xml = renderCii(model);
	const file = path.join(scratch, `${name}.pdf`);

	beforeAll(async () => {
		// poppler-utils brings pdfdetach and pdfinfo; installed on first use like the validator's xmllint.
		await run("bash", [
			"-c",
			"command -v pdfdetach >/dev/null || { apt-get update -qq; apt-get install -y -qq --no-install-recommends poppler-utils; } >/dev/null",
		]);
		const pdf = await embedFacturX(await documentPdf(title), xml, { title, date: new Date("2026-11-30T09:00:00Z") });
		writeFileSync(file, pdf);
	});

	test("pdfdetach finds factur-x.xml and it is the CII XML, which passes the XSD and the rule checks", async () => {
		const list = await run("pdfdetach", ["-list", file]);
		expect(list.stdout).toContain(`1: ${FACTURX_FILE_NAME}`);
		const extracted = path.join(scratch, `${name}-${FACTURX_FILE_NAME}`);
		await run("pdfdetach", ["-save", "1", "-o", extracted, file]);
		const embedded = readFileSync(extracted, "utf8");
		expect(embedded).toBe(xml);
		expect(await xsdFindings(extracted)).toEqual([]);
		expect(checkDocument(embedded)).toEqual([]);
	});

	test("the XMP declares PDF/A-3b and the Factur-X EN 16931 profile with its extension schema", async () => {
		const { stdout } = await run("pdfinfo", ["-meta", file]);
		expect(stdout).toContain("<pdfaid:part>3</pdfaid:part>");
		expect(stdout).toContain("<pdfaid:conformance>B</pdfaid:conformance>");
		expect(stdout).toContain("<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>");
		expect(stdout).toContain("<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>");
		expect(stdout).toContain("<pdfaSchema:prefix>fx</pdfaSchema:prefix>");
	});

	test("the attachment is an associated file of the document with relationship Alternative, and there is an sRGB output intent", async () => {
		const doc = await PDFDocument.load(readFileSync(file), { updateMetadata: false });
		const catalog = doc.catalog.toString();
		expect(catalog).toMatch(/\/AF \[ \d+ 0 R \]/);
		expect(catalog).toMatch(/\/OutputIntents/);
		const raw = readFileSync(file, "latin1");
		expect(raw).toContain("/AFRelationship /Alternative");
		expect(raw).toContain("/Subtype /text#2Fxml");
		expect(raw).toContain("/S /GTS_PDFA1");
		expect(raw).toMatch(/\/ID \[ <[0-9A-Fa-f]{32}> <[0-9A-Fa-f]{32}> \]/);
		expect(doc.getTitle()).toBe(title);
	});
});
