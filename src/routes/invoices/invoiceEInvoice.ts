import { type AppContext, tenantContext } from "../../lib/context";
import { idParam, problemResponse } from "../../schemas/common";
import { einvoiceFile } from "../../services/einvoices/einvoiceFiles";
import { ApiRoute, type CustomerOwnership } from "../base";
import { einvoiceContent, einvoiceQuery, einvoiceResponse } from "../documents/einvoiceResponse";

export class InvoiceEInvoice extends ApiRoute {
	readonly access = "invoices:read";
	protected override readonly ownership: CustomerOwnership = { in: "params", field: "id", of: "invoice" };
	override schema = {
		tags: ["Invoices"],
		summary: "Download an issued invoice's e-invoice",
		description:
			"UBL (Peppol BIS Billing 3.0), XRechnung 3.0, CII D16B (EN 16931), or Factur-X / ZUGFeRD (the invoice PDF " +
			"as PDF/A-3b with its CII embedded as factur-x.xml). Rendered by the first request, checked against the " +
			"format's rules first, stored immutably in R2 and listed in the invoice's `attachments`. When the " +
			"invoice's data cannot make a valid file (no Leitweg-ID for XRechnung, no seller contact…) the answer is " +
			"422 naming the rule (`rule`, e.g. BR-DE-15) and every rule broken (`rules`).",
		operationId: "getInvoiceEInvoice",
		request: { params: idParam("inv"), query: einvoiceQuery },
		responses: {
			"200": einvoiceContent,
			"304": { description: "The client's copy (If-None-Match) is the stored file" },
			"404": problemResponse("No such invoice for this tenant"),
			"409": problemResponse("A draft has no e-invoice"),
			"422": problemResponse("An unknown format, or data the format needs is missing (with the rule id)"),
		},
	};

	override async handle(c: AppContext) {
		const { params, query } = await this.getValidatedData<typeof this.schema>();
		const file = await einvoiceFile({ ctx: tenantContext(c), kind: "invoice", id: params.id, format: query.format });
		return einvoiceResponse(file, c.req.header("if-none-match"));
	}
}
