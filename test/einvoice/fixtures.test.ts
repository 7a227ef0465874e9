import { describe, expect, test } from "vitest";
import { renderCii } from "../../src/documents/einvoice/cii";
import type { EInvoice } from "../../src/documents/einvoice/model";
import { renderUbl } from "../../src/documents/einvoice/ubl";
import { renderXRechnung } from "../../src/documents/einvoice/xrechnung";
import { fixtures } from "./fixtures";
import { xsdFindingsOfXml } from "./validator";

const renderers: Record<string, (invoice: EInvoice) => string> = {
	ubl: renderUbl,
	xrechnung: renderXRechnung,
	cii: renderCii,
};

describe.each(Object.entries(fixtures))("fixture %s", (name, invoice) => {
	test.each(Object.keys(renderers))("%s passes the XSD", async (format) => {
		const xml = renderers[format]?.(invoice) ?? "";
		expect(await xsdFindingsOfXml(`${name}-${format}.xml`, xml)).toEqual([]);
	});
});
