import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { creditNoteApplyBody, creditNoteSchema } from "../../schemas/creditNote";
import { applyCreditNote } from "../../services/creditNotes/creditNotes";
import { ApiRoute } from "../base";

export class CreditNoteApply extends ApiRoute {
	readonly access = "credit_notes:write";
	override schema = {
		tags: ["Credit notes"],
		summary: "Apply a credit note's remaining credit to an invoice",
		operationId: "applyCreditNote",
		request: { params: idParam("cn"), body: { content: contentJson(creditNoteApplyBody), required: true } },
		responses: {
			"200": { description: "The credit note", content: contentJson(creditNoteSchema) },
			"404": problemResponse("No such credit note for this tenant"),
			"409": problemResponse("More than the note has left, or a note or invoice that is not open"),
		},
	};

	override async handle(c: AppContext) {
		const { params, body } = await this.getValidatedData<typeof this.schema>();
		return c.json(
			await applyCreditNote({ ctx: tenantContext(c), id: params.id, invoiceId: body.invoice_id, amount: body.amount }),
		);
	}
}
