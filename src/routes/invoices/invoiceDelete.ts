import { type AppContext, tenantContext } from "../../lib/context";
import { idParam, problemResponse } from "../../schemas/common";
import { deleteInvoice } from "../../services/invoices/deleteInvoice";
import { ApiRoute } from "../base";

export class InvoiceDelete extends ApiRoute {
	readonly access = "invoices:write";
	override schema = {
		tags: ["Invoices"],
		summary: "Delete a draft invoice",
		operationId: "deleteInvoice",
		request: { params: idParam("inv") },
		responses: {
			"204": { description: "Deleted" },
			"404": problemResponse("No such invoice for this tenant"),
			"409": problemResponse("Not a draft: issued invoices are voided or credited instead"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		await deleteInvoice({ ctx: tenantContext(c), id: params.id });
		return c.body(null, 204);
	}
}
