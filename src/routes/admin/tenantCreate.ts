import type { AppContext } from "../../lib/context";
import { contentJson } from "../../schemas/common";
import { tenantCreateBody, tenantCreatedSchema } from "../../schemas/tenant";
import { createTenant } from "../../services/tenants/createTenant";
import { ApiRoute } from "../base";

export class TenantCreate extends ApiRoute {
	readonly access = "operator";
	override schema = {
		tags: ["Administration"],
		summary: "Onboard a tenant",
		description: "Creates the tenant and its first billing_admin API key; the key's secret is shown once.",
		operationId: "createTenant",
		request: { body: { content: contentJson(tenantCreateBody), required: true } },
		responses: { "201": { description: "The tenant and its first key", content: contentJson(tenantCreatedSchema) } },
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		const created = await createTenant({
			db: c.get("db"),
			env: c.env,
			clock: c.get("clock"),
			logger: c.get("logger"),
			requestId: c.get("requestId"),
			requestKey: c.get("idempotencyKey"),
			input: body,
		});
		return c.json(created, 201);
	}
}
