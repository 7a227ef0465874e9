import { type AppContext, tenantContext } from "../../lib/context";
import { listSubmissions, submitEInvoice } from "../../services/einvoices/submitEInvoice";
import { ApiRoute } from "../base";
import {
	CREDIT_NOTE_SOURCE,
	einvoiceSendDescription,
	einvoiceSendRequest,
	einvoiceSendResponses,
	einvoiceSubmissionsResponses,
} from "../documents/einvoiceSend";

export class CreditNoteEInvoiceSend extends ApiRoute {
	readonly access = "credit_notes:write";
	/** Submits to the Peppol access point, a service outside. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Credit notes"],
		summary: "Send a credit note's e-invoice over Peppol",
		description: einvoiceSendDescription(CREDIT_NOTE_SOURCE),
		operationId: "sendCreditNoteEInvoice",
		request: einvoiceSendRequest(CREDIT_NOTE_SOURCE),
		responses: einvoiceSendResponses(CREDIT_NOTE_SOURCE, "A voided credit note"),
	};

	override async handle(c: AppContext) {
		const { params, query, body } = await this.getValidatedData<typeof this.schema>();
		c.set("writesNoEvents", true);
		const submission = await submitEInvoice({
			ctx: tenantContext(c),
			kind: "credit_note",
			id: params.id,
			format: body?.format ?? query.format,
		});
		return c.json(submission, 202);
	}
}

export class CreditNoteEInvoiceSubmissions extends ApiRoute {
	readonly access = "credit_notes:read";
	override schema = {
		tags: ["Credit notes"],
		summary: "List a credit note's e-invoice submissions",
		description: "Each with its status (queued, sent, failed), the access point's id, the attempts and their errors.",
		operationId: "listCreditNoteEInvoiceSubmissions",
		request: { params: einvoiceSendRequest(CREDIT_NOTE_SOURCE).params },
		responses: einvoiceSubmissionsResponses(CREDIT_NOTE_SOURCE),
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(await listSubmissions({ ctx: tenantContext(c), kind: "credit_note", id: params.id }));
	}
}
