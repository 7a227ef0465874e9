import { type AppContext, tenantContext } from "../../lib/context";
import { listSubmissions, submitEInvoice } from "../../services/einvoices/submitEInvoice";
import { ApiRoute, type CustomerOwnership } from "../base";
import {
	einvoiceSendDescription,
	einvoiceSendRequest,
	einvoiceSendResponses,
	einvoiceSubmissionsResponses,
	INVOICE_SOURCE,
} from "../documents/einvoiceSend";

export class InvoiceEInvoiceSend extends ApiRoute {
	readonly access = "invoices:write";
	/** Submits to the Peppol access point, a service outside. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Invoices"],
		summary: "Send an issued invoice's e-invoice over Peppol",
		description: einvoiceSendDescription(INVOICE_SOURCE),
		operationId: "sendInvoiceEInvoice",
		request: einvoiceSendRequest(INVOICE_SOURCE),
		responses: einvoiceSendResponses(INVOICE_SOURCE, "A draft invoice"),
	};

	override async handle(c: AppContext) {
		const { params, query, body } = await this.getValidatedData<typeof this.schema>();
		c.set("writesNoEvents", true);
		const submission = await submitEInvoice({
			ctx: tenantContext(c),
			kind: "invoice",
			id: params.id,
			format: body?.format ?? query.format,
		});
		return c.json(submission, 202);
	}
}

export class InvoiceEInvoiceSubmissions extends ApiRoute {
	readonly access = "invoices:read";
	protected override readonly ownership: CustomerOwnership = { in: "params", field: "id", of: "invoice" };
	override schema = {
		tags: ["Invoices"],
		summary: "List an invoice's e-invoice submissions",
		description: "Each with its status (queued, sent, failed), the access point's id, the attempts and their errors.",
		operationId: "listInvoiceEInvoiceSubmissions",
		request: { params: einvoiceSendRequest(INVOICE_SOURCE).params },
		responses: einvoiceSubmissionsResponses(INVOICE_SOURCE),
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(await listSubmissions({ ctx: tenantContext(c), kind: "invoice", id: params.id }));
	}
}
