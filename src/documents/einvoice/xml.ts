// A small XML writer for the renderers. An element whose content is missing, empty or made only of
// missing children is left out entirely, because every syntax forbids empty elements
// (PEPPOL-EN16931-R008) and an absent optional business term must not leave a husk behind.
import { currencyExponent } from "../../domain/currency";
import { type Decimal, formatDecimal } from "../../domain/decimal";

export type XmlElement = {
	name: string;
	attributes: [string, string][];
	content: string | XmlElement[];
};

type Child = XmlElement | undefined;
type Attributes = Record<string, string | undefined>;

/** `el("cbc:ID", "42", { schemeID: "0088" })`, or with children: `el("cac:Party", [el(...), ...])`. */
export function el(
	name: string,
	content: string | undefined | Child[],
	attributes: Attributes = {},
): XmlElement | undefined {
	if (content === undefined || content === "") return undefined;
	const children = typeof content === "string" ? content : content.filter((c): c is XmlElement => c !== undefined);
	if (children.length === 0) return undefined;
	const attrs = Object.entries(attributes).filter((entry): entry is [string, string] => entry[1] !== undefined);
	return { name, attributes: attrs, content: children };
}

const escapeText = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const escapeAttribute = (text: string): string => escapeText(text).replace(/"/g, "&quot;");

function write(element: XmlElement, indent: string, out: string[]): void {
	const attrs = element.attributes.map(([k, v]) => ` ${k}="${escapeAttribute(v)}"`).join("");
	if (typeof element.content === "string") {
		out.push(`${indent}<${element.name}${attrs}>${escapeText(element.content)}</${element.name}>`);
		return;
	}
	if (element.content.length === 0) {
		out.push(`${indent}<${element.name}${attrs}/>`);
		return;
	}
	out.push(`${indent}<${element.name}${attrs}>`);
	for (const child of element.content) write(child, `${indent}\t`, out);
	out.push(`${indent}</${element.name}>`);
}

/** The document with its XML declaration; the root always exists (it carries mandatory terms). */
export function serialize(root: XmlElement | undefined): string {
	if (!root) throw new Error("an e-invoice document cannot be empty");
	const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
	write(root, "", out);
	return `${out.join("\n")}\n`;
}

/** Minor units as the exact decimal of the currency's major unit, without trailing zeros:
 * 123450 EUR → "1234.5", 1000 JPY → "1000", 5020 KWD → "5.02". */
export const minorUnitsToDecimal = (amount: number, currency: string): Decimal => ({
	units: BigInt(amount),
	scale: currencyExponent(currency),
});

export const amountText = (amount: number | undefined, currency: string): string | undefined =>
	amount === undefined ? undefined : formatDecimal(minorUnitsToDecimal(amount, currency));

export const decimalText = (value: Decimal | undefined): string | undefined =>
	value === undefined ? undefined : formatDecimal(value);
