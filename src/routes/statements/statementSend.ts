import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { documentDeliveriesSchema, documentSendBody } from "../../schemas/delivery";
import { sendStatement } from "../../services/statements/sendStatement";
import { ApiRoute } from "../base";

export class StatementSend extends ApiRoute {
	readonly access = "customers:write";
	/** Sends email, a service outside. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Statements"],
		summary: "Email a statement of account",
		description:
			"Emails the statement's stored PDF to the customer (or `to`) with the tenant's `statement` template, or the " +
			"one `template_id` names, through the tenant's transport. Each attempt is recorded as a delivery (status, " +
			"attempts, provider message id, last error); what fails for now is retried on the jobs queue with backoff. " +
			"One delivery per statement and Idempotency-Key.",
		operationId: "sendStatement",
		request: { params: idParam("stmt"), body: { content: contentJson(documentSendBody), required: false } },
		responses: {
			"200": { description: "The statement's deliveries", content: contentJson(documentDeliveriesSchema) },
			"404": problemResponse("No such statement for this tenant"),
			"422": problemResponse("No email address for the customer and none in `to`, or an unknown `template_id`"),
		},
	};

	override async handle(c: AppContext) {
		const { params, body } = await this.getValidatedData<typeof this.schema>();
		return c.json(
			await sendStatement({
				ctx: tenantContext(c),
				id: params.id,
				to: body?.to,
				templateId: body?.template_id,
				requestKey: c.req.header("idempotency-key") ?? null,
			}),
		);
	}
}
