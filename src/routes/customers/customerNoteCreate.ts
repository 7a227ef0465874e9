import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { customerNoteBody, customerNoteSchema, presentNote } from "../../schemas/customer";
import { addCustomerNote } from "../../services/customers/customerNotes";
import { ApiRoute } from "../base";

export class CustomerNoteCreate extends ApiRoute {
	readonly access = "customer_notes:write";
	override schema = {
		tags: ["Customers"],
		summary: "Add an internal billing memo",
		operationId: "createCustomerNote",
		request: { params: idParam("cus"), body: { content: contentJson(customerNoteBody), required: true } },
		responses: {
			"201": { description: "The note", content: contentJson(customerNoteSchema) },
			"404": problemResponse("No such customer for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params, body } = await this.getValidatedData<typeof this.schema>();
		const row = await addCustomerNote({ ctx: tenantContext(c), customerId: params.id, body: body.body });
		return c.json(presentNote(row), 201);
	}
}
