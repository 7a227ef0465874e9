import { eq } from "drizzle-orm";
import { z } from "zod";
import { tenants } from "../../db/schema";
import { type AppContext, actingIn } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { contentJson, prefixedId, problemResponse } from "../../schemas/common";
import { userCreateBody, userSchema } from "../../schemas/user";
import { createUser } from "../../services/users/createUser";
import { ApiRoute } from "../base";

export class UserCreate extends ApiRoute {
	readonly access = "operator";
	override schema = {
		tags: ["Administration"],
		summary: "Add an approved user to a tenant",
		description: "Creates an ACTIVE user (typically a tenant's first SYSADMIN, who then approves the others).",
		operationId: "createTenantUser",
		request: {
			params: z.object({ id: prefixedId("ten") }),
			body: { content: contentJson(userCreateBody), required: true },
		},
		responses: {
			"201": { description: "The user", content: contentJson(userSchema) },
			"404": problemResponse("No such tenant"),
			"409": problemResponse("The email is taken in this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params, body } = await this.getValidatedData<typeof this.schema>();
		const tenant = await c.get("db").select({ id: tenants.id }).from(tenants).where(eq(tenants.id, params.id)).get();
		if (!tenant) throw notFound("tenant", params.id);
		const ctx = actingIn(c, tenant.id, { type: "admin", id: "operator" });
		return c.json(await createUser({ ctx, id: newId("user"), input: body, status: "ACTIVE" }), 201);
	}
}
