import { extractText, getDocumentProxy } from "unpdf";

/** The text of each page of a PDF, as a reader's PDF viewer would extract it. */
export async function pdfPages(bytes: Uint8Array | ArrayBuffer): Promise<string[]> {
	const pdf = await getDocumentProxy(new Uint8Array(bytes.slice(0)));
	const { text } = await extractText(pdf, { mergePages: false });
	return text;
}
