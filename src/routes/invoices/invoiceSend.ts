import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { invoiceSchema, sendBody } from "../../schemas/invoice";
import { deliverInvoice } from "../../services/invoices/deliverInvoice";
import { ApiRoute } from "../base";

export class InvoiceSend extends ApiRoute {
	readonly access = "invoices:write";
	/** Sends email, a service outside. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Invoices"],
		summary: "Send an invoice",
		description:
			"Delivers on each channel and records each delivery in `deliveries` (status, attempts, provider message id, " +
			"last error). Email carries the invoice PDF and goes through the tenant's transport: its HTTP email API " +
			"when configured in the settings, else the deployment's send_email binding; what fails for now is retried " +
			"on the jobs queue with backoff. One delivery per invoice, channel and Idempotency-Key. erp and sftp are " +
			"recorded as undeliverable until a connector exists.",
		operationId: "sendInvoice",
		request: { params: idParam("inv"), body: { content: contentJson(sendBody), required: false } },
		responses: {
			"200": { description: "The invoice with its deliveries", content: contentJson(invoiceSchema) },
			"404": problemResponse("No such invoice for this tenant"),
			"409": problemResponse("A draft or voided invoice cannot be sent"),
			"422": problemResponse("No email address for the customer and none in `to`, or an unknown `template_id`"),
		},
	};

	override async handle(c: AppContext) {
		const { params, body } = await this.getValidatedData<typeof this.schema>();
		const options = body ?? { channels: ["email" as const] };
		return c.json(
			await deliverInvoice({
				ctx: tenantContext(c),
				id: params.id,
				kind: "invoice",
				channels: options.channels,
				to: options.to,
				templateId: options.template_id,
				requestKey: c.req.header("idempotency-key") ?? null,
			}),
		);
	}
}
