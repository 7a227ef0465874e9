import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { documentDeliveriesSchema, documentSendBody } from "../../schemas/delivery";
import { sendCreditNote } from "../../services/creditNotes/sendCreditNote";
import { ApiRoute } from "../base";

export class CreditNoteSend extends ApiRoute {
	readonly access = "credit_notes:write";
	/** Sends email, a service outside. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Credit notes"],
		summary: "Email a credit note",
		description:
			"Emails the credit note's stored PDF to the customer (or `to`) with the tenant's `credit_note` template, or " +
			"the one `template_id` names, through the tenant's transport. Each attempt is recorded as a delivery (status, " +
			"attempts, provider message id, last error); what fails for now is retried on the jobs queue with backoff. " +
			"One delivery per credit note and Idempotency-Key.",
		operationId: "sendCreditNote",
		request: { params: idParam("cn"), body: { content: contentJson(documentSendBody), required: false } },
		responses: {
			"200": { description: "The credit note's deliveries", content: contentJson(documentDeliveriesSchema) },
			"404": problemResponse("No such credit note for this tenant"),
			"409": problemResponse("The credit note is voided"),
			"422": problemResponse("No email address for the customer and none in `to`, or an unknown `template_id`"),
		},
	};

	override async handle(c: AppContext) {
		const { params, body } = await this.getValidatedData<typeof this.schema>();
		return c.json(
			await sendCreditNote({
				ctx: tenantContext(c),
				id: params.id,
				to: body?.to,
				templateId: body?.template_id,
				requestKey: c.req.header("idempotency-key") ?? null,
			}),
		);
	}
}
