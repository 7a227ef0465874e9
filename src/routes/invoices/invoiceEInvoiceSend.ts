import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, listEnvelope, problemResponse } from "../../schemas/common";
import { einvoiceSendBody, submissionSchema } from "../../schemas/einvoice";
import { listSubmissions, submitEInvoice } from "../../services/einvoices/submitEInvoice";
import { loadInvoiceRow } from "../../services/invoices/loadInvoice";
import { ApiRoute, type CustomerOwnership } from "../base";

export class InvoiceEInvoiceSend extends ApiRoute {
	readonly access = "invoices:write";
	/** Submits to the Peppol access point, a service outside. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Invoices"],
		summary: "Send an issued invoice's e-invoice over Peppol",
		description:
			"Renders the e-invoice (refused with 422 and the rule id when the invoice's data cannot make a valid file), " +
			"records a submission and hands it to the jobs queue, which POSTs it to the tenant's access point and " +
			"retries with backoff what fails for now (a 4xx refusal fails it at once, with the access point's error). " +
			"One submission per invoice and format: sending again answers the same one.",
		operationId: "sendInvoiceEInvoice",
		request: { params: idParam("inv"), body: { content: contentJson(einvoiceSendBody), required: false } },
		responses: {
			"202": {
				description: "The submission, queued (or as it is, when sent before)",
				content: contentJson(submissionSchema),
			},
			"404": problemResponse("No such invoice for this tenant"),
			"409": problemResponse("A draft invoice, or no access point configured"),
			"422": problemResponse("An unknown format, or data the format needs is missing (with the rule id)"),
		},
	};

	override async handle(c: AppContext) {
		const { params, body } = await this.getValidatedData<typeof this.schema>();
		c.set("writesNoEvents", true);
		const submission = await submitEInvoice({
			ctx: tenantContext(c),
			kind: "invoice",
			id: params.id,
			format: body?.format ?? "ubl",
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
		request: { params: idParam("inv") },
		responses: {
			"200": {
				description: "The submissions, oldest first",
				content: contentJson(listEnvelope(submissionSchema, "EInvoiceSubmissionList")),
			},
			"404": problemResponse("No such invoice for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		const ctx = tenantContext(c);
		await loadInvoiceRow(ctx, params.id);
		const data = await listSubmissions({ ctx, kind: "invoice", id: params.id });
		return c.json({ object: "list", data, has_more: false, next_cursor: null, limit: data.length });
	}
}
