import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, listEnvelope } from "../../schemas/common";
import { creditNoteListQuery, creditNoteSchema } from "../../schemas/creditNote";
import { listCreditNotes } from "../../services/creditNotes/creditNotes";
import { ApiRoute } from "../base";

export class CreditNoteList extends ApiRoute {
	readonly access = "credit_notes:read";
	override schema = {
		tags: ["Credit notes"],
		summary: "List credit notes",
		operationId: "listCreditNotes",
		request: { query: creditNoteListQuery },
		responses: {
			"200": {
				description: "A page of credit notes",
				content: contentJson(listEnvelope(creditNoteSchema, "CreditNoteList")),
			},
		},
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		return c.json(await listCreditNotes({ ctx: tenantContext(c), query }));
	}
}
