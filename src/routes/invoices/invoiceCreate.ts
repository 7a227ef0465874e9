import { type AppContext, tenantContext } from "../../lib/context";
import { responseOf } from "../../lib/idempotency";
import { contentJson, problemResponse } from "../../schemas/common";
import { invoiceCreateBody, invoiceCreatedResponse, invoiceSchema } from "../../schemas/invoice";
import { createInvoice } from "../../services/invoices/createInvoice";
import { ApiRoute } from "../base";

export class InvoiceCreate extends ApiRoute {
	readonly access = "invoices:write";
	override schema = {
		tags: ["Invoices"],
		summary: "Create an invoice",
		description:
			"Creates a draft, or with `finalize: true` creates, numbers and issues it in one step. Totals are computed " +
			"in integer minor units: each line's amount, discount and taxes are rounded once, half away from zero.",
		operationId: "createInvoice",
		request: { body: { content: contentJson(invoiceCreateBody), required: true } },
		responses: {
			"201": { description: "The invoice", content: contentJson(invoiceSchema) },
			"409": problemResponse("The customer is deleted"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		const invoice = await createInvoice({ ctx: tenantContext(c), input: body });
		return responseOf(invoiceCreatedResponse(invoice));
	}
}
