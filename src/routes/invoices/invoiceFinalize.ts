import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { invoiceSchema } from "../../schemas/invoice";
import { finalizeInvoice } from "../../services/invoices/finalizeInvoice";
import { ApiRoute } from "../base";

export class InvoiceFinalize extends ApiRoute {
	readonly access = "invoices:write";
	override schema = {
		tags: ["Invoices"],
		summary: "Finalize a draft invoice",
		description:
			"Locks the invoice and assigns the next number of the tenant's gapless series (default INV-YYYY-NNNN, " +
			"restarting each year). A zero-total invoice is paid at once.",
		operationId: "finalizeInvoice",
		request: { params: idParam("inv") },
		responses: {
			"200": { description: "The issued invoice", content: contentJson(invoiceSchema) },
			"404": problemResponse("No such invoice for this tenant"),
			"409": problemResponse("Not a draft; `current_status` names its status"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(await finalizeInvoice({ ctx: tenantContext(c), id: params.id }));
	}
}
