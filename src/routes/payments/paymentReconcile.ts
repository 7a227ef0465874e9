import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson } from "../../schemas/common";
import { reconcileBody, reconciliationSchema } from "../../schemas/reconciliation";
import { startReconciliation } from "../../services/reconciliation/reconcilePayments";
import { ApiRoute } from "../base";

export class PaymentReconcile extends ApiRoute {
	readonly access = "payments:write";
	/** Confirming records each matched line's payment, one commit each. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Payments"],
		summary: "Reconcile bank or settlement lines",
		description:
			"A job matches each line by reference (a recorded payment's reference or an open invoice's number), then " +
			"by amount and date. With `confirm`, lines matched to an invoice are recorded as payments, idempotently. " +
			"Poll GET /v1/billing/reconciliations/{id}.",
		operationId: "reconcilePayments",
		request: { body: { content: contentJson(reconcileBody), required: true } },
		responses: { "202": { description: "The pending reconciliation", content: contentJson(reconciliationSchema) } },
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		const reconciliation = await startReconciliation({ ctx: tenantContext(c), input: body });
		return c.json(reconciliation, 202, { Location: `/v1/billing/reconciliations/${reconciliation.id}` });
	}
}
