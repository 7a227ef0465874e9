// EN 16931 VAT category codes (BT-151, code list UNCL5305 as EN 16931 restricts it) and the VATEX
// exemption reason codes (CEF VATEX code list) the engine assigns.

export const TAX_CATEGORIES = ["S", "Z", "E", "AE", "K", "G", "O", "L", "M"] as const;

export type TaxCategory = (typeof TAX_CATEGORIES)[number];

/** Categories whose tax is charged on the invoice at the line's rate; every other one charges 0. */
export const CHARGED_CATEGORIES: ReadonlySet<TaxCategory> = new Set(["S", "L", "M"]);

export type Exemption = { reason: string; code: string | null };

/** The exemption reason text and VATEX code EN 16931 asks for on each zero-tax category (BR-AE-10, BR-IC-10, …). */
export const CATEGORY_EXEMPTIONS: Readonly<Partial<Record<TaxCategory, Exemption>>> = {
	AE: { reason: "Reverse charge", code: "VATEX-EU-AE" },
	K: { reason: "Intra-Community supply", code: "VATEX-EU-IC" },
	G: { reason: "Export outside the EU", code: "VATEX-EU-G" },
	O: { reason: "Not subject to VAT", code: "VATEX-EU-O" },
	E: { reason: "Exempt from VAT", code: null },
};

/** A VATEX code as the CEF list spells them: VATEX-EU-132-1A, VATEX-EU-AE, VATEX-FR-FRANCHISE. */
export const isVatexCode = (code: string): boolean => /^VATEX-[A-Z]{2}-[A-Z0-9]+(?:-[A-Z0-9]+)*$/.test(code);

/** The category of a rate given explicitly rather than by the engine: a charged rate is standard-rated, 0 zero-rated. */
export const categoryOfRate = (rate: string): TaxCategory => (/[1-9]/.test(rate) ? "S" : "Z");
