// Factur-X / ZUGFeRD: the invoice PDF as PDF/A-3b with its CII XML embedded as `factur-x.xml`, declared
// by an associated-file relationship and by the Factur-X XMP extension schema (EN 16931 profile).
// Pure: the dates come from the caller, nothing reads a clock.
import { AFRelationship, PDFDocument, PDFHexString, PDFName, PDFString } from "pdf-lib";
import { srgbIccProfile } from "./srgbProfile";

export const FACTURX_FILE_NAME = "factur-x.xml";
const PRODUCER = "edge-billing";

export type FacturXOptions = {
	/** The document's title (dc:title and the Info dictionary), e.g. "Invoice RE-2026-0001". */
	title: string;
	/** When the invoice was issued; the PDF's and the attachment's creation and modification date. */
	date: Date;
	/** `Alternative` (the XML is the invoice too, as Germany reads it) or `Data`. */
	relationship?: "Alternative" | "Data";
};

const escapeXml = (text: string): string =>
	text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** XMP declaring PDF/A-3b, the document's dates and title, and the Factur-X properties with their
 * extension schema (required for PDF/A to accept the fx: namespace). */
function xmp(options: FacturXOptions): string {
	const date = options.date.toISOString().replace(/\.\d{3}Z$/, "Z");
	const property = (name: string, description: string) => `
						<rdf:li rdf:parseType="Resource">
							<pdfaProperty:name>${name}</pdfaProperty:name>
							<pdfaProperty:valueType>Text</pdfaProperty:valueType>
							<pdfaProperty:category>external</pdfaProperty:category>
							<pdfaProperty:description>${description}</pdfaProperty:description>
						</rdf:li>`;
	return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
	<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
		<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
			<pdfaid:part>3</pdfaid:part>
			<pdfaid:conformance>B</pdfaid:conformance>
		</rdf:Description>
		<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
			<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(options.title)}</rdf:li></rdf:Alt></dc:title>
		</rdf:Description>
		<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
			<pdf:Producer>${PRODUCER}</pdf:Producer>
		</rdf:Description>
		<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
			<xmp:CreatorTool>${PRODUCER}</xmp:CreatorTool>
			<xmp:CreateDate>${date}</xmp:CreateDate>
			<xmp:ModifyDate>${date}</xmp:ModifyDate>
		</rdf:Description>
		<rdf:Description rdf:about="" xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#">
			<fx:DocumentType>INVOICE</fx:DocumentType>
			<fx:DocumentFileName>${FACTURX_FILE_NAME}</fx:DocumentFileName>
			<fx:Version>1.0</fx:Version>
			<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>
		</rdf:Description>
		<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
			<pdfaExtension:schemas>
				<rdf:Bag>
					<rdf:li rdf:parseType="Resource">
						<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
						<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>
						<pdfaSchema:prefix>fx</pdfaSchema:prefix>
						<pdfaSchema:property>
							<rdf:Seq>${property("DocumentFileName", "The name of the embedded XML document")}${property("DocumentType", "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER")}${property("Version", "The actual version of the standard applying to the embedded XML document")}${property("ConformanceLevel", "The conformance level of the embedded XML document")}
							</rdf:Seq>
						</pdfaSchema:property>
					</rdf:li>
				</rdf:Bag>
			</pdfaExtension:schemas>
		</rdf:Description>
	</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}

const hex = (bytes: ArrayBuffer): string =>
	Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");

/** `pdfBytes` (the rendered invoice PDF) with `ciiXml` embedded as a Factur-X EN 16931 document. */
export async function embedFacturX(pdfBytes: Uint8Array, ciiXml: string, options: FacturXOptions): Promise<Uint8Array> {
	const doc = await PDFDocument.load(pdfBytes, { updateMetadata: false });
	const xml = new TextEncoder().encode(ciiXml);
	await doc.attach(xml, FACTURX_FILE_NAME, {
		mimeType: "text/xml",
		description: "Factur-X/ZUGFeRD invoice (EN 16931)",
		creationDate: options.date,
		modificationDate: options.date,
		afRelationship: AFRelationship[options.relationship ?? "Alternative"],
	});

	doc.setTitle(options.title);
	doc.setProducer(PRODUCER);
	doc.setCreator(PRODUCER);
	doc.setCreationDate(options.date);
	doc.setModificationDate(options.date);

	const { context, catalog } = doc;
	const metadata = context.stream(new TextEncoder().encode(xmp(options)), { Type: "Metadata", Subtype: "XML" });
	catalog.set(PDFName.of("Metadata"), context.register(metadata));

	const profile = context.flateStream(srgbIccProfile(), { N: 3 });
	catalog.set(
		PDFName.of("OutputIntents"),
		context.obj([
			{
				Type: "OutputIntent",
				S: "GTS_PDFA1",
				OutputConditionIdentifier: PDFString.of("sRGB"),
				Info: PDFString.of("sRGB IEC61966-2.1"),
				DestOutputProfile: context.register(profile),
			},
		]),
	);

	// PDF/A needs a file identifier; derived from the content so the same invoice gives the same file.
	const id = PDFHexString.of(hex(await crypto.subtle.digest("SHA-256", xml)).slice(0, 32));
	context.trailerInfo.ID = context.obj([id, id]);

	return doc.save({ useObjectStreams: false });
}
