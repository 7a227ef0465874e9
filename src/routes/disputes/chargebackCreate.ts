import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, problemResponse } from "../../schemas/common";
import { disputeCreateBody, disputeSchema } from "../../schemas/dispute";
import { openDispute } from "../../services/disputes/disputes";
import { ApiRoute } from "../base";

const createSchema = (operationId: string, summary: string) => ({
	tags: ["Disputes"],
	summary,
	description:
		"Nothing moves until the dispute is resolved: won, the payment stands; lost, it is reversed by the disputed " +
		"amount and the invoices it paid are open again.",
	operationId,
	request: { body: { content: contentJson(disputeCreateBody), required: true } },
	responses: {
		"201": { description: "The dispute", content: contentJson(disputeSchema) },
		"404": problemResponse("No such payment for this tenant"),
		"409": problemResponse("More than the payment still holds"),
	},
});

export class ChargebackCreate extends ApiRoute {
	readonly access = "payments:write";
	override schema = createSchema("createChargeback", "Record a chargeback and open its dispute");

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		const dispute = await openDispute({ ctx: tenantContext(c), input: body });
		return c.json(dispute, 201, { Location: `/v1/billing/disputes/${dispute.id}` });
	}
}

/** The same operation at /v1/billing/disputes (seed 000 §11). */
export class DisputeCreate extends ChargebackCreate {
	override schema = createSchema("createDispute", "Start a dispute for a payment");
}
