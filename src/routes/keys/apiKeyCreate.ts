import { type AppContext, isTenantAuth, tenantContext } from "../../lib/context";
import { apiKeyCreateBody, apiKeyWithSecretSchema } from "../../schemas/apiKey";
import { contentJson } from "../../schemas/common";
import { createApiKey } from "../../services/keys/createApiKey";
import { ApiRoute } from "../base";

export class ApiKeyCreate extends ApiRoute {
	readonly access = "keys:write";
	override schema = {
		tags: ["API keys"],
		summary: "Create an API key",
		description: "The secret is in this response only. A key cannot hold permissions its creator lacks.",
		operationId: "createApiKey",
		request: { body: { content: contentJson(apiKeyCreateBody), required: true } },
		responses: { "201": { description: "The key, with its secret", content: contentJson(apiKeyWithSecretSchema) } },
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		const auth = c.get("auth");
		const creatorPermissions = isTenantAuth(auth) ? auth.permissions : new Set<never>();
		return c.json(await createApiKey({ ctx: tenantContext(c), input: body, creatorPermissions }), 201);
	}
}
