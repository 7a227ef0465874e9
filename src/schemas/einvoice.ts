import { z } from "zod";
import { EINVOICE_FORMATS } from "../db/schema";
import { EAS_CODES, UNIT_CODES } from "../documents/einvoice/codeLists";

export const einvoiceFormat = z.enum(EINVOICE_FORMATS).meta({
	description:
		"ubl: Peppol BIS Billing 3.0; xrechnung: XRechnung 3.0 (UBL); cii: UN/CEFACT CII D16B (EN 16931); " +
		"facturx / zugferd: the PDF/A-3 invoice with its CII XML embedded.",
	example: "xrechnung",
});

export const electronicAddress = z
	.strictObject({
		value: z.string().trim().min(1).max(200).meta({ example: "DE123456789" }),
		scheme: z
			.string()
			.refine((scheme) => EAS_CODES.has(scheme), "is not a scheme of the CEF EAS code list, e.g. 0088, 9930, 0208, EM")
			.meta({
				description: "CEF EAS code: 0088 GLN, 9930 DE VAT, 0208 BE KBO, 0204 Leitweg-ID, EM e-mail…",
				example: "9930",
			}),
	})
	.meta({ id: "ElectronicAddress", description: "Where e-invoices are received (Peppol participant id)." });

export const unitCode = z
	.string()
	.refine((code) => UNIT_CODES.has(code), "is not a UN/ECE Recommendation 20 unit code, e.g. C62, HUR, DAY, MON")
	.meta({ description: "UN/ECE Rec 20 unit of the quantity; C62 means 'one'.", example: "HUR" });

/** An invoice reference to a purchase order or contract (BT-13, BT-12). */
export const documentReference = z.string().trim().min(1).max(200);
