// POST /api/v1/auth/register and /api/v1/auth/login.
import { z } from "zod";
import { type AppContext, actingIn } from "../../lib/context";
import { newId } from "../../lib/ids";
import { ApiRoute } from "../../routes/base";
import { contentJson } from "../../schemas/common";
import { userCreateBody, userEmail, userRole, userSchema } from "../../schemas/user";
import { createUser } from "../../services/users/createUser";
import { loginUser } from "../../services/users/loginUser";
import { userTenant } from "../../services/users/userTenant";
import { problem } from "./base";

const tenantHeader = z.object({
	"x-tenant-id": z
		.string()
		.min(1)
		.max(64)
		.optional()
		.meta({ description: "The tenant to sign in to; without it, the tenant of the first SYSADMIN." }),
});

export class Register extends ApiRoute {
	readonly access = "public";
	override schema = {
		tags: ["InvoiceMe"],
		summary: "Register a user (PENDING until a SYSADMIN approves it)",
		operationId: "invoiceMeRegister",
		request: { headers: tenantHeader, body: { content: contentJson(userCreateBody), required: true } },
		responses: {
			"201": { description: "The registered user", content: contentJson(userSchema) },
			"400": problem("Validation error, or a weak password"),
			"409": problem("The email is registered already"),
		},
	};

	override async handle(c: AppContext) {
		const { headers, body } = await this.getValidatedData<typeof this.schema>();
		const tenantId = await userTenant(c.get("db"), headers["x-tenant-id"]);
		const id = newId("user");
		const user = await createUser({
			ctx: actingIn(c, tenantId, { type: "user", id }),
			id,
			input: body,
			status: "PENDING",
		});
		return c.json(user, 201);
	}
}

const loginBody = z
	.strictObject({ email: userEmail, password: z.string("is required").min(1).max(128) })
	.meta({ id: "Login", example: { email: "ada@example.com", password: "correct-horse-42" } });

const loginResponse = z
	.object({
		token: z.string().meta({ description: "HS512 JWT, valid 24 hours: send it as 'Authorization: Bearer <token>'." }),
		user: z.object({ id: z.string(), email: z.string(), fullName: z.string(), role: userRole }),
	})
	.meta({ id: "LoginResult" });

export class Login extends ApiRoute {
	readonly access = "public";
	override schema = {
		tags: ["InvoiceMe"],
		summary: "Sign in with email and password",
		operationId: "invoiceMeLogin",
		request: { headers: tenantHeader, body: { content: contentJson(loginBody), required: true } },
		responses: {
			"200": { description: "A token and the user", content: contentJson(loginResponse) },
			"400": problem("Validation error"),
			"401": problem("Wrong email or password"),
			"403": problem("The user is not approved (PENDING or REJECTED)"),
			"429": problem("Too many failed sign-ins for this email or address; see Retry-After"),
		},
	};

	override async handle(c: AppContext) {
		const { headers, body } = await this.getValidatedData<typeof this.schema>();
		const tenantId = await userTenant(c.get("db"), headers["x-tenant-id"]);
		const result = await loginUser(c.get("db"), c.env, {
			tenantId,
			email: body.email,
			password: body.password,
			ip: c.req.header("cf-connecting-ip") ?? "unknown",
			now: c.get("clock").now(),
		});
		return c.json(result);
	}
}
