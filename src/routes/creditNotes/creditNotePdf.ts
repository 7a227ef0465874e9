import { type AppContext, tenantContext } from "../../lib/context";
import { idParam, problemResponse } from "../../schemas/common";
import { creditNotePdf } from "../../services/documents/issuedDocuments";
import { ApiRoute } from "../base";
import { pdfContent, pdfResponse } from "../documents/pdfResponse";

export class CreditNotePdf extends ApiRoute {
	readonly access = "credit_notes:read";
	override schema = {
		tags: ["Credit notes"],
		summary: "Download a credit note's PDF",
		description: "Rendered once when issued (or by the first download) and stored immutably in R2.",
		operationId: "getCreditNotePdf",
		request: { params: idParam("cn") },
		responses: {
			"200": pdfContent,
			"304": { description: "The client's copy (If-None-Match) is the stored file" },
			"404": problemResponse("No such credit note for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return pdfResponse(await creditNotePdf({ ctx: tenantContext(c), id: params.id }), c.req.header("if-none-match"));
	}
}
