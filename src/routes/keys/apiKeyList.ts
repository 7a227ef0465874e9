import { type AppContext, tenantContext } from "../../lib/context";
import { apiKeyListQuery, apiKeySchema } from "../../schemas/apiKey";
import { contentJson, listEnvelope } from "../../schemas/common";
import { listApiKeys } from "../../services/keys/listApiKeys";
import { ApiRoute } from "../base";

export class ApiKeyList extends ApiRoute {
	readonly access = "keys:read";
	override schema = {
		tags: ["API keys"],
		summary: "List API keys",
		operationId: "listApiKeys",
		request: { query: apiKeyListQuery },
		responses: {
			"200": { description: "A page of keys", content: contentJson(listEnvelope(apiKeySchema, "ApiKeyList")) },
		},
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		return c.json(await listApiKeys({ ctx: tenantContext(c), query }));
	}
}
