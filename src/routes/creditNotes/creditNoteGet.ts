import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { creditNoteSchema } from "../../schemas/creditNote";
import { presentCreditNoteById } from "../../services/creditNotes/creditNotes";
import { ApiRoute } from "../base";

export class CreditNoteGet extends ApiRoute {
	readonly access = "credit_notes:read";
	override schema = {
		tags: ["Credit notes"],
		summary: "Retrieve a credit note",
		operationId: "getCreditNote",
		request: { params: idParam("cn") },
		responses: {
			"200": { description: "The credit note", content: contentJson(creditNoteSchema) },
			"404": problemResponse("No such credit note for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(await presentCreditNoteById(tenantContext(c), params.id));
	}
}
