import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { creditNoteSchema } from "../../schemas/creditNote";
import { voidCreditNote } from "../../services/creditNotes/creditNotes";
import { ApiRoute } from "../base";

export class CreditNoteVoid extends ApiRoute {
	readonly access = "credit_notes:write";
	override schema = {
		tags: ["Credit notes"],
		summary: "Void a credit note none of whose credit was used",
		operationId: "voidCreditNote",
		request: { params: idParam("cn") },
		responses: {
			"200": { description: "The voided credit note", content: contentJson(creditNoteSchema) },
			"404": problemResponse("No such credit note for this tenant"),
			"409": problemResponse("Already applied or voided"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(await voidCreditNote({ ctx: tenantContext(c), id: params.id }));
	}
}
