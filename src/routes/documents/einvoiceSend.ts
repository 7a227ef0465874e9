import { contentJson, idParam, listEnvelope, problemResponse } from "../../schemas/common";
import { einvoiceSendBody, einvoiceSendQuery, submissionSchema } from "../../schemas/einvoice";

// What the e-invoice send and submission routes of invoices and credit notes share: one contract, one
// service (submitEInvoice), the document kind apart.

type Source = { idPrefix: string; name: string };

export const einvoiceSendRequest = ({ idPrefix }: Source) => ({
	params: idParam(idPrefix),
	query: einvoiceSendQuery,
	body: { content: contentJson(einvoiceSendBody), required: false },
});

export const einvoiceSendDescription = ({ name }: Source) =>
	`Renders the ${name}'s e-invoice in \`format\` (the body's, else \`?format=\`, else the customer's preferred ` +
	"format when an access point carries it, else ubl), refused with 422 and the rule id when the data cannot make a " +
	"valid file; records a submission and hands it to the jobs queue, which POSTs it to the tenant's access point and " +
	"retries with backoff what fails for now (a 4xx refusal fails it at once, with the access point's error). " +
	`One submission per ${name} and format: sending again answers the same one.`;

export const einvoiceSendResponses = ({ name }: Source, notSendable: string) => ({
	"202": {
		description: "The submission, queued (or as it is, when sent before)",
		content: contentJson(submissionSchema),
	},
	"404": problemResponse(`No such ${name} for this tenant`),
	"409": problemResponse(`${notSendable}, or no access point configured`),
	"422": problemResponse("An unknown format, or data the format needs is missing (with the rule id)"),
});

export const einvoiceSubmissionsResponses = ({ name }: Source) => ({
	"200": {
		description: "The submissions, oldest first",
		content: contentJson(listEnvelope(submissionSchema, "EInvoiceSubmissionList")),
	},
	"404": problemResponse(`No such ${name} for this tenant`),
});

export const INVOICE_SOURCE: Source = { idPrefix: "inv", name: "invoice" };
export const CREDIT_NOTE_SOURCE: Source = { idPrefix: "cn", name: "credit note" };
