import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { invoiceSchema, voidBody } from "../../schemas/invoice";
import { voidInvoice } from "../../services/invoices/voidInvoice";
import { ApiRoute } from "../base";

export class InvoiceVoid extends ApiRoute {
	readonly access = "invoices:write";
	override schema = {
		tags: ["Invoices"],
		summary: "Void an issued invoice",
		description: "Only when nothing has been paid or credited on it; otherwise refund or credit it first.",
		operationId: "voidInvoice",
		request: { params: idParam("inv"), body: { content: contentJson(voidBody), required: false } },
		responses: {
			"200": { description: "The voided invoice", content: contentJson(invoiceSchema) },
			"404": problemResponse("No such invoice for this tenant"),
			"409": problemResponse("Not voidable in its current status"),
		},
	};

	override async handle(c: AppContext) {
		const { params, body } = await this.getValidatedData<typeof this.schema>();
		return c.json(await voidInvoice({ ctx: tenantContext(c), id: params.id, reason: body?.reason ?? null }));
	}
}
