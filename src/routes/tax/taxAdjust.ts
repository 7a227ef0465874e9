import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, problemResponse } from "../../schemas/common";
import { taxAdjustmentBody, taxAdjustmentSchema } from "../../schemas/taxFilings";
import { adjustTax } from "../../services/tax/adjustTax";
import { ApiRoute } from "../base";

export class TaxAdjust extends ApiRoute {
	readonly access = "tax:write";
	override schema = {
		tags: ["Tax"],
		summary: "Correct the tax owed to a jurisdiction",
		description:
			"Books a balanced journal between the jurisdiction's tax payable account and the tax adjustment account " +
			"(6200 unless mapped), with its reason, and audits it. Issued invoices are never edited. The date must be " +
			"in an open period. Send an Idempotency-Key to make a retry safe.",
		operationId: "adjustTax",
		request: { body: { content: contentJson(taxAdjustmentBody), required: true } },
		responses: {
			"201": { description: "The adjustment and its journal", content: contentJson(taxAdjustmentSchema) },
			"404": problemResponse("The invoice named is not this tenant's"),
			"409": problemResponse("The invoice named is still a draft"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		c.set("writesNoEvents", true);
		return c.json(await adjustTax({ ctx: tenantContext(c), input: body }), 201);
	}
}
