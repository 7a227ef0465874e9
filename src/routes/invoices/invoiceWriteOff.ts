import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { invoiceSchema, writeOffBody } from "../../schemas/invoice";
import { writeOffInvoice } from "../../services/invoices/writeOffInvoice";
import { ApiRoute } from "../base";

export class InvoiceWriteOff extends ApiRoute {
	readonly access = "invoices:write";
	override schema = {
		tags: ["Invoices"],
		summary: "Write off an invoice's remaining balance",
		operationId: "writeOffInvoice",
		request: { params: idParam("inv"), body: { content: contentJson(writeOffBody), required: true } },
		responses: {
			"200": { description: "The written-off invoice", content: contentJson(invoiceSchema) },
			"404": problemResponse("No such invoice for this tenant"),
			"409": problemResponse("Not open in its current status"),
		},
	};

	override async handle(c: AppContext) {
		const { params, body } = await this.getValidatedData<typeof this.schema>();
		return c.json(await writeOffInvoice({ ctx: tenantContext(c), id: params.id, reason: body.reason }));
	}
}
