import { z } from "zod";
import { EINVOICE_FORMATS, type einvoiceSubmissions } from "../db/schema";
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

/** The formats a Peppol access point carries: the XML ones. */
export const PEPPOL_FORMATS = ["ubl", "xrechnung", "cii"] as const;
export type PeppolFormat = (typeof PEPPOL_FORMATS)[number];

const peppolFormat = z.enum(PEPPOL_FORMATS).meta({
	description:
		"ubl (Peppol BIS 3), xrechnung or cii; without one, the customer's preferred_einvoice_format when it is one " +
		"of these, else ubl.",
});

export const accessPointBody = z
	.strictObject({
		endpoint: z
			.url()
			.max(2048)
			.meta({
				description:
					"The access point's API base URL. Documents are sent as POST {endpoint}/documents with the XML as the " +
					"body and the token as a bearer token; the access point answers with its id for the document.",
				example: "https://ap.example.com/api/v1",
			}),
		token: z.string().min(1).max(2000).meta({ description: "The API token; stored encrypted, never shown again." }),
	})
	.meta({ id: "EInvoiceAccessPointSet" });

export const accessPointSchema = z
	.object({
		object: z.literal("einvoice_access_point"),
		endpoint: z.string(),
		token_configured: z.literal(true),
	})
	.meta({ id: "EInvoiceAccessPoint" });

export const einvoiceSendBody = z.strictObject({ format: peppolFormat.optional() }).meta({ id: "EInvoiceSend" });

/** `?format=` of a send, for clients that send no body; a body's `format` wins. */
export const einvoiceSendQuery = z.object({ format: peppolFormat.optional() });

export const submissionSchema = z
	.object({
		id: z.string(),
		object: z.literal("einvoice_submission"),
		source_type: z.enum(["invoice", "credit_note"]),
		source_id: z.string(),
		format: z.enum(EINVOICE_FORMATS),
		status: z.enum(["queued", "sent", "failed"]).meta({
			description:
				"queued: waiting for its (next) attempt on the jobs queue; sent: the access point took it; failed: the " +
				"access point refused it, or every attempt failed.",
		}),
		provider_id: z.string().nullable().meta({ description: "The access point's id for the document." }),
		errors: z.array(z.string()).meta({ description: "Why attempts failed, oldest first." }),
		attempts: z.number().int(),
		created_at: z.string(),
		updated_at: z.string(),
	})
	.meta({ id: "EInvoiceSubmission" });

export const presentSubmission = (row: typeof einvoiceSubmissions.$inferSelect) => ({
	id: row.id,
	object: "einvoice_submission" as const,
	source_type: row.sourceKind,
	source_id: row.sourceId,
	format: row.format,
	status: row.status,
	provider_id: row.providerId,
	errors: row.errors,
	attempts: row.attempts,
	created_at: row.createdAt,
	updated_at: row.updatedAt,
});
