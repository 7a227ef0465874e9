import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { invoiceSchema, remindBody } from "../../schemas/invoice";
import { deliverInvoice } from "../../services/invoices/deliverInvoice";
import { ApiRoute } from "../base";

export class InvoiceRemind extends ApiRoute {
	readonly access = "invoices:remind";
	/** Sends email, a service outside. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Invoices"],
		summary: "Send a payment reminder",
		operationId: "remindInvoice",
		request: { params: idParam("inv"), body: { content: contentJson(remindBody), required: false } },
		responses: {
			"200": { description: "The invoice with its deliveries", content: contentJson(invoiceSchema) },
			"404": problemResponse("No such invoice for this tenant"),
			"409": problemResponse("Nothing is owed on the invoice"),
			"422": problemResponse("No email address for the customer and none in `to`, or an unknown `template_id`"),
		},
	};

	override async handle(c: AppContext) {
		const { params, body } = await this.getValidatedData<typeof this.schema>();
		return c.json(
			await deliverInvoice({
				ctx: tenantContext(c),
				id: params.id,
				kind: "reminder",
				channels: ["email"],
				to: body?.to,
				templateId: body?.template_id,
				requestKey: c.req.header("idempotency-key") ?? null,
			}),
		);
	}
}
