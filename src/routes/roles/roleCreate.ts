import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, problemResponse } from "../../schemas/common";
import { roleCreateBody, roleSchema } from "../../schemas/role";
import { createRole } from "../../services/roles/roles";
import { ApiRoute } from "../base";

export class RoleCreate extends ApiRoute {
	readonly access = "roles:write";
	override schema = {
		tags: ["Roles"],
		summary: "Create a custom role",
		operationId: "createRole",
		request: { body: { content: contentJson(roleCreateBody), required: true } },
		responses: {
			"201": { description: "The role", content: contentJson(roleSchema) },
			"409": problemResponse("A role with this name exists"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		return c.json(await createRole({ ctx: tenantContext(c), input: body }), 201);
	}
}
