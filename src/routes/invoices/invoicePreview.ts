import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson } from "../../schemas/common";
import { invoiceCreateBody, invoiceSchema } from "../../schemas/invoice";
import { previewInvoice } from "../../services/invoices/createInvoice";
import { ApiRoute } from "../base";

export class InvoicePreview extends ApiRoute {
	readonly access = "invoices:read";
	/** Stores nothing: the key is claimed, its answer stored after. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Invoices"],
		summary: "Preview an invoice",
		description: "The same computation as creating one; nothing is stored and no number is assigned.",
		operationId: "previewInvoice",
		request: { body: { content: contentJson(invoiceCreateBody), required: true } },
		responses: { "200": { description: "The invoice it would be", content: contentJson(invoiceSchema) } },
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		return c.json(await previewInvoice({ ctx: tenantContext(c), input: body }));
	}
}
