import { type AppContext, tenantContext } from "../../lib/context";
import { idParam, problemResponse } from "../../schemas/common";
import { invoicePdf } from "../../services/documents/issuedDocuments";
import { ApiRoute, type CustomerOwnership } from "../base";
import { pdfContent, pdfResponse } from "../documents/pdfResponse";

export class InvoicePdf extends ApiRoute {
	readonly access = "invoices:read";
	protected override readonly ownership: CustomerOwnership = { in: "params", field: "id", of: "invoice" };
	override schema = {
		tags: ["Invoices"],
		summary: "Download an invoice's PDF",
		description:
			"An issued invoice's PDF is rendered once (at finalize, on the jobs queue, or by the first download) and " +
			"stored immutably in R2; every download streams that file. A draft's is rendered on each request, " +
			"watermarked DRAFT, and never stored.",
		operationId: "getInvoicePdf",
		request: { params: idParam("inv") },
		responses: {
			"200": pdfContent,
			"304": { description: "The client's copy (If-None-Match) is the stored file" },
			"404": problemResponse("No such invoice for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return pdfResponse(await invoicePdf({ ctx: tenantContext(c), id: params.id }), c.req.header("if-none-match"));
	}
}
