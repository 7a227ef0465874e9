// GET /api/v1/users/pending, PATCH /api/v1/users/{id}/approve and /reject: SYSADMIN only.
import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, prefixedId } from "../../schemas/common";
import { userSchema } from "../../schemas/user";
import { decideUser, listPendingUsers } from "../../services/users/decideUser";
import { InvoiceMeRoute, problem } from "./base";

const userIdParam = z.object({ id: prefixedId("usr") });

export class PendingUsers extends InvoiceMeRoute {
	readonly access = "users:read";
	readonly roles = ["SYSADMIN"] as const;
	override schema = {
		tags: ["InvoiceMe"],
		summary: "List users waiting for approval",
		operationId: "invoiceMePendingUsers",
		responses: {
			"200": { description: "Pending users", content: contentJson(z.object({ users: z.array(userSchema) })) },
		},
	};

	override async handle(c: AppContext) {
		return c.json({ users: await listPendingUsers({ ctx: tenantContext(c) }) });
	}
}

const approveBody = z
	.strictObject({
		customerId: z
			.string()
			.min(1)
			.max(64)
			.optional()
			.meta({ description: "For a CUSTOMER: the customer it acts for (default: the customer with its email)." }),
	})
	.meta({ id: "UserApprove" });

export class ApproveUser extends InvoiceMeRoute {
	readonly access = "users:write";
	readonly roles = ["SYSADMIN"] as const;
	override schema = {
		tags: ["InvoiceMe"],
		summary: "Approve a pending user",
		operationId: "invoiceMeApproveUser",
		request: { params: userIdParam, body: { content: contentJson(approveBody), required: false } },
		responses: {
			"200": { description: "The user, ACTIVE", content: contentJson(userSchema) },
			"400": problem("The user is not PENDING, or a CUSTOMER has no customer to act for"),
			"404": problem("No such user"),
		},
	};

	override async handle(c: AppContext) {
		const { params, body } = await this.getValidatedData<typeof this.schema>();
		return c.json(
			await decideUser({ ctx: tenantContext(c), id: params.id, decision: "approve", customerId: body?.customerId }),
		);
	}
}

export class RejectUser extends InvoiceMeRoute {
	readonly access = "users:write";
	readonly roles = ["SYSADMIN"] as const;
	override schema = {
		tags: ["InvoiceMe"],
		summary: "Reject a pending user",
		operationId: "invoiceMeRejectUser",
		request: { params: userIdParam },
		responses: {
			"204": { description: "Rejected" },
			"400": problem("The user is not PENDING"),
			"404": problem("No such user"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		await decideUser({ ctx: tenantContext(c), id: params.id, decision: "reject" });
		return c.body(null, 204);
	}
}
