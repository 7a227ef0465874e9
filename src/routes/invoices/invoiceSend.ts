import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { invoiceSchema, sendBody } from "../../schemas/invoice";
import { deliverInvoice } from "../../services/invoices/deliverInvoice";
import { ApiRoute } from "../base";

export class InvoiceSend extends ApiRoute {
	readonly access = "invoices:write";
	override schema = {
		tags: ["Invoices"],
		summary: "Send an invoice",
		description:
			"Delivers on each channel and records every attempt in `deliveries`. Email goes through the deployment's " +
			"send_email binding; without one (or without a connector for erp/sftp) the delivery is recorded as " +
			"undeliverable with the reason.",
		operationId: "sendInvoice",
		request: { params: idParam("inv"), body: { content: contentJson(sendBody), required: false } },
		responses: {
			"200": { description: "The invoice with its deliveries", content: contentJson(invoiceSchema) },
			"404": problemResponse("No such invoice for this tenant"),
			"409": problemResponse("A draft or voided invoice cannot be sent"),
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
			}),
		);
	}
}
