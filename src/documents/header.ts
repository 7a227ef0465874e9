import type { Logo, Party } from "./model";
import { LEFT, type PageWriter, RIGHT } from "./pdfLayout";

const META_WIDTH = 220;

function partyLines(party: Party): string[] {
	return [
		...party.addressLines,
		...(party.taxId ? [`Tax ID: ${party.taxId}`] : []),
		...(party.registration ? [party.registration] : []),
		...(party.email ? [party.email] : []),
	];
}

function partyBlock(writer: PageWriter, caption: string | null, party: Party, top: number): number {
	let y = top;
	if (caption) {
		writer.textAt(caption, LEFT, y, { size: 7.5, grey: true });
		y -= writer.lineHeight({ size: 7.5 });
	}
	writer.textAt(party.name, LEFT, y, { bold: true, size: 10 });
	y -= writer.lineHeight({ size: 10 });
	for (const line of partyLines(party)) {
		for (const wrapped of writer.wrap(line, RIGHT - LEFT - META_WIDTH - 30)) {
			writer.textAt(wrapped, LEFT, y);
			y -= writer.lineHeight();
		}
	}
	return y;
}

/**
 * The first page's head: logo, the seller's legal block, the title with the document's key facts on the
 * right, then the buyer; leaves the cursor below the lowest of them.
 */
export async function drawDocumentHead(
	writer: PageWriter,
	{
		logo,
		title,
		seller,
		buyer,
		facts,
	}: { logo: Logo | null; title: string; seller: Party; buyer: Party; facts: [string, string][] },
) {
	let left = writer.y;
	if (logo) left -= (await writer.image(logo, LEFT, left, 160, 56)) + 12;
	left = partyBlock(writer, null, seller, left);
	left = partyBlock(writer, "Bill to", buyer, left - 14);

	writer.textAt(title, RIGHT, writer.y, { bold: true, size: 20 }, "right");
	const right = writer.pairs(facts, RIGHT - META_WIDTH, writer.y - 34, META_WIDTH);
	writer.y = Math.min(left, right) - 18;
}

/** The head of every page after the first: what the document is, and whose. */
export function continuationHeader(title: string, seller: Party) {
	return (writer: PageWriter) => {
		writer.textAt(title, LEFT, writer.y, { bold: true, size: 10 });
		writer.textAt(seller.name, RIGHT, writer.y, { grey: true }, "right");
		writer.y -= writer.lineHeight({ size: 10 }) + 10;
	};
}
