import { type AppContext, tenantContext } from "../../lib/context";
import { apiKeySchema } from "../../schemas/apiKey";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { revokeApiKey } from "../../services/keys/revokeApiKey";
import { ApiRoute } from "../base";

export class ApiKeyRevoke extends ApiRoute {
	readonly access = "keys:write";
	override schema = {
		tags: ["API keys"],
		summary: "Revoke an API key",
		description: "Takes effect on the next request made with the key.",
		operationId: "revokeApiKey",
		request: { params: idParam("key") },
		responses: {
			"200": { description: "The revoked key", content: contentJson(apiKeySchema) },
			"404": problemResponse("No such key for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(await revokeApiKey({ ctx: tenantContext(c), id: params.id }));
	}
}
