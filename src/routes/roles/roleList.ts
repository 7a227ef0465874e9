import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, listEnvelope } from "../../schemas/common";
import { roleSchema } from "../../schemas/role";
import { listRoles } from "../../services/roles/roles";
import { ApiRoute } from "../base";

export class RoleList extends ApiRoute {
	readonly access = "roles:read";
	override schema = {
		tags: ["Roles"],
		summary: "List roles",
		description: "The built-in roles billing_admin, billing_reader and collections_agent, then the tenant's own.",
		operationId: "listRoles",
		responses: { "200": { description: "All roles", content: contentJson(listEnvelope(roleSchema, "RoleList")) } },
	};

	override async handle(c: AppContext) {
		return c.json(await listRoles({ ctx: tenantContext(c) }));
	}
}
