import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, problemResponse } from "../../schemas/common";
import { taxCalculationBody, taxCalculationSchema } from "../../schemas/tax";
import { calculateTax } from "../../services/tax/calculateTax";
import { ApiRoute } from "../base";

export class TaxCalculate extends ApiRoute {
	readonly access = "tax:read";
	/** Stores nothing: the key is claimed, its answer stored after. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Tax"],
		summary: "Calculate taxes for a buyer and items",
		description:
			"Runs the tax engine on the tenant's tax settings and rates: per item the taxes with jurisdiction, rate, " +
			"EN 16931 VAT category and exemption reason; the breakdown per (jurisdiction, category, rate); the legal " +
			"notes the invoice must print. Nothing is stored. Items are services unless `supply_type` says goods.",
		operationId: "calculateTax",
		request: { body: { content: contentJson(taxCalculationBody), required: true } },
		responses: {
			"200": { description: "The taxes", content: contentJson(taxCalculationSchema) },
			"409": problemResponse("The tenant's tax settings are missing what this sale needs (origin country or region)"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		c.set("writesNoEvents", true);
		return c.json(await calculateTax({ ctx: tenantContext(c), input: body }));
	}
}
