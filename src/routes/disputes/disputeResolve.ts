import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { disputeResolveBody, disputeSchema } from "../../schemas/dispute";
import { resolveDispute } from "../../services/disputes/disputes";
import { ApiRoute } from "../base";

export class DisputeResolve extends ApiRoute {
	readonly access = "payments:write";
	override schema = {
		tags: ["Disputes"],
		summary: "Resolve a dispute as won or lost",
		description: "Lost reverses the payment by the disputed amount and reopens the invoice balances it settled.",
		operationId: "resolveDispute",
		request: { params: idParam("dp"), body: { content: contentJson(disputeResolveBody), required: true } },
		responses: {
			"200": { description: "The resolved dispute", content: contentJson(disputeSchema) },
			"404": problemResponse("No such dispute for this tenant"),
			"409": problemResponse("Already resolved"),
		},
	};

	override async handle(c: AppContext) {
		const { params, body } = await this.getValidatedData<typeof this.schema>();
		return c.json(
			await resolveDispute({ ctx: tenantContext(c), id: params.id, outcome: body.outcome, note: body.note }),
		);
	}
}
