import { type AppContext, tenantContext } from "../../lib/context";
import { idParam, problemResponse } from "../../schemas/common";
import { einvoiceFile } from "../../services/einvoices/einvoiceFiles";
import { ApiRoute } from "../base";
import { einvoiceContent, einvoiceQuery, einvoiceResponse } from "../documents/einvoiceResponse";

export class CreditNoteEInvoice extends ApiRoute {
	readonly access = "credit_notes:read";
	override schema = {
		tags: ["Credit notes"],
		summary: "Download a credit note's e-invoice",
		description:
			"The credit note (type 381) in the format asked for, naming the invoice it corrects (BT-25); rendered " +
			"once, checked against the format's rules first (422 with the rule id) and stored immutably in R2.",
		operationId: "getCreditNoteEInvoice",
		request: { params: idParam("cn"), query: einvoiceQuery },
		responses: {
			"200": einvoiceContent,
			"304": { description: "The client's copy (If-None-Match) is the stored file" },
			"404": problemResponse("No such credit note for this tenant"),
			"422": problemResponse("An unknown format, or data the format needs is missing (with the rule id)"),
		},
	};

	override async handle(c: AppContext) {
		const { params, query } = await this.getValidatedData<typeof this.schema>();
		const file = await einvoiceFile({
			ctx: tenantContext(c),
			kind: "credit_note",
			id: params.id,
			format: query.format,
		});
		return einvoiceResponse(file, c.req.header("if-none-match"));
	}
}
