import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, problemResponse } from "../../schemas/common";
import { taxRateBody, taxRateListSchema, taxRateSchema, taxRatesQuery } from "../../schemas/tax";
import { createTaxRate } from "../../services/tax/createTaxRate";
import { listTaxRates } from "../../services/tax/listTaxRates";
import { ApiRoute } from "../base";

export class TaxRateList extends ApiRoute {
	readonly access = "tax:read";
	override schema = {
		tags: ["Tax"],
		summary: "Tax rates in force in a country",
		description:
			"The built-in table (with `valid_from`/`valid_to` and the source of each rate) and the tenant's own rates " +
			"in force on `date`; a tenant's rate stands in place of the built-in one it overrides.",
		operationId: "listTaxRates",
		request: { query: taxRatesQuery },
		responses: { "200": { description: "Rates", content: contentJson(taxRateListSchema) } },
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		return c.json(await listTaxRates({ ctx: tenantContext(c), filter: query }));
	}
}

export class TaxRateCreate extends ApiRoute {
	readonly access = "tax:write";
	override schema = {
		tags: ["Tax"],
		summary: "Add a tax rate of the tenant's own",
		description:
			"A rate for a place (country, optional region and postal prefix), a tax code and a jurisdiction from a day " +
			"on: US sales taxes by state, county or city; a code of the tenant's own; rates before the built-in table; " +
			"or an override of a built-in rate.",
		operationId: "createTaxRate",
		request: { body: { content: contentJson(taxRateBody), required: true } },
		responses: {
			"201": { description: "The rate", content: contentJson(taxRateSchema) },
			"409": problemResponse("Another of the tenant's rates covers the same place, code, jurisdiction and days"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		c.set("writesNoEvents", true);
		return c.json(await createTaxRate({ ctx: tenantContext(c), input: body }), 201);
	}
}
