// Factur-X inside workerd, where the endpoint will build it: pdf-lib and Web Crypto only.
import { PDFDocument } from "pdf-lib";
import { describe, expect, test } from "vitest";
import { renderCii } from "../../src/documents/einvoice/cii";
import { embedFacturX } from "../../src/documents/einvoice/facturx";
import { srgbIccProfile } from "../../src/documents/einvoice/srgbProfile";
import { domesticTwoRates } from "../einvoice/fixtures";

const ascii = (bytes: Uint8Array, at: number) => String.fromCharCode(...bytes.slice(at, at + 4));
const uint32 = (bytes: Uint8Array, at: number) => new DataView(bytes.buffer, bytes.byteOffset).getUint32(at);

describe("sRGB output intent profile", () => {
	test("is an ICC v2 RGB display profile whose tags lie inside it", () => {
		const profile = srgbIccProfile();
		expect(uint32(profile, 0)).toBe(profile.length);
		expect([ascii(profile, 12), ascii(profile, 16), ascii(profile, 20), ascii(profile, 36)]).toEqual([
			"mntr",
			"RGB ",
			"XYZ ",
			"acsp",
		]);
		const count = uint32(profile, 128);
		const signatures: string[] = [];
		for (let i = 0; i < count; i++) {
			const entry = 132 + i * 12;
			const offset = uint32(profile, entry + 4);
			expect(offset % 4).toBe(0);
			expect(offset + uint32(profile, entry + 8)).toBeLessThanOrEqual(profile.length);
			signatures.push(ascii(profile, entry));
		}
		expect(signatures).toEqual(["desc", "cprt", "wtpt", "rXYZ", "gXYZ", "bXYZ", "rTRC", "gTRC", "bTRC"]);
	});
});

describe("embedFacturX", () => {
	test("attaches the CII XML to the PDF, the same bytes for the same input", async () => {
		const source = await PDFDocument.create();
		source.addPage();
		const pdf = await source.save();
		const xml = renderCii(domesticTwoRates);
		const options = { title: "Rechnung RE-2026-0001", date: new Date("2026-11-30T09:00:00Z") };
		const first = await embedFacturX(pdf, xml, options);
		const second = await embedFacturX(pdf, xml, options);
		expect(first).toEqual(second);
		const text = new TextDecoder("latin1").decode(first);
		expect(text.startsWith("%PDF-")).toBe(true);
		expect(text).toContain("(factur-x.xml)");
		expect(text).toContain("<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>");
	});

	test("a file that is not a PDF is refused", async () => {
		await expect(
			embedFacturX(new TextEncoder().encode("not a pdf"), "<x/>", { title: "x", date: new Date(0) }),
		).rejects.toThrow();
	});
});
