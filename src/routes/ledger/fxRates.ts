import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, currencyCode, listEnvelope } from "../../schemas/common";
import { fxRateBody, fxRateSchema } from "../../schemas/ledger";
import { listFxRates, setFxRate } from "../../services/ledger/fxRates";
import { ApiRoute } from "../base";

export class FxRateSet extends ApiRoute {
	readonly access = "ledger:write";
	override schema = {
		tags: ["Ledger"],
		summary: "Record an exchange rate",
		description:
			"Base-currency units per unit of a currency, in force from a day until the next rate. Journals in other " +
			"currencies carry base amounts at the rate of their date; none is fetched from the network.",
		operationId: "setFxRate",
		request: { body: { content: contentJson(fxRateBody), required: true } },
		responses: { "201": { description: "The rate", content: contentJson(fxRateSchema) } },
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		return c.json(await setFxRate({ ctx: tenantContext(c), input: body }), 201);
	}
}

export class FxRateList extends ApiRoute {
	readonly access = "ledger:read";
	override schema = {
		tags: ["Ledger"],
		summary: "List exchange rates",
		operationId: "listFxRates",
		request: { query: z.object({ currency: currencyCode.optional() }) },
		responses: {
			"200": {
				description: "Rates by currency and date",
				content: contentJson(listEnvelope(fxRateSchema, "FxRateList")),
			},
		},
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		return c.json(await listFxRates({ ctx: tenantContext(c), currency: query.currency }));
	}
}
