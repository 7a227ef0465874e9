import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, listEnvelope, problemResponse } from "../../schemas/common";
import { taxProviderBody, taxProviderSchema } from "../../schemas/tax";
import { createTaxProvider } from "../../services/tax/createTaxProvider";
import { listTaxProviders } from "../../services/tax/listTaxProviders";
import { ApiRoute } from "../base";

export class TaxProviderCreate extends ApiRoute {
	readonly access = "tax:write";
	override schema = {
		tags: ["Tax"],
		summary: "Configure an external tax service",
		description:
			"An HTTPS endpoint and the secret to call it with (Avalara, TaxJar, the tenant's own). The secret is stored " +
			"encrypted and never returned; `secret_hint` shows its last four characters.",
		operationId: "createTaxProvider",
		request: { body: { content: contentJson(taxProviderBody), required: true } },
		responses: {
			"201": { description: "The provider", content: contentJson(taxProviderSchema) },
			"503": problemResponse("The deployment has no key to encrypt secrets with (SECRETS_KEY)"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		c.set("writesNoEvents", true);
		return c.json(await createTaxProvider({ ctx: tenantContext(c), input: body }), 201);
	}
}

export class TaxProviderList extends ApiRoute {
	readonly access = "tax:read";
	override schema = {
		tags: ["Tax"],
		summary: "List configured tax services",
		operationId: "listTaxProviders",
		responses: {
			"200": { description: "Providers", content: contentJson(listEnvelope(taxProviderSchema, "TaxProviderList")) },
		},
	};

	override async handle(c: AppContext) {
		return c.json(await listTaxProviders({ ctx: tenantContext(c) }));
	}
}
