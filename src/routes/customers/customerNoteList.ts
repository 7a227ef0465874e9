import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, listEnvelope, paginationQuery, problemResponse } from "../../schemas/common";
import { customerNoteSchema } from "../../schemas/customer";
import { listCustomerNotes } from "../../services/customers/customerNotes";
import { ApiRoute } from "../base";

export class CustomerNoteList extends ApiRoute {
	readonly access = "customers:read";
	override schema = {
		tags: ["Customers"],
		summary: "List internal billing memos",
		operationId: "listCustomerNotes",
		request: { params: idParam("cus"), query: paginationQuery },
		responses: {
			"200": {
				description: "A page of notes",
				content: contentJson(listEnvelope(customerNoteSchema, "CustomerNoteList")),
			},
			"404": problemResponse("No such customer for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params, query } = await this.getValidatedData<typeof this.schema>();
		return c.json(await listCustomerNotes({ ctx: tenantContext(c), customerId: params.id, query }));
	}
}
