import { and, asc, eq } from "drizzle-orm";
import { users } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { AppError, fieldInvalid, notFound } from "../../lib/errors";
import { presentUser, type UserRow } from "../../schemas/user";
import { changeStatements } from "../changeLog";
import { customerOfUser } from "./createUser";
import { forgetUser } from "./resolveUserToken";

export async function listPendingUsers({ ctx }: { ctx: ServiceContext }) {
	const rows = await ctx.db
		.select()
		.from(users)
		.where(and(eq(users.tenantId, ctx.tenantId), eq(users.status, "PENDING")))
		.orderBy(asc(users.createdAt), asc(users.id))
		.all();
	return rows.map(presentUser);
}

/**
 * Approves (ACTIVE) or rejects (REJECTED) a PENDING user. An approved CUSTOMER is bound to its
 * customer: the one named, the one chosen at registration, or the tenant's customer with its email.
 */
export async function decideUser({
	ctx,
	id,
	decision,
	customerId,
}: {
	ctx: ServiceContext;
	id: string;
	decision: "approve" | "reject";
	customerId?: string;
}) {
	const current = await ctx.db
		.select()
		.from(users)
		.where(and(eq(users.tenantId, ctx.tenantId), eq(users.id, id)))
		.get();
	if (!current) throw notFound("user", id);
	if (current.status !== "PENDING") {
		throw new AppError("invalid_state", `User ${id} is ${current.status}, not PENDING.`, {
			extensions: { currentStatus: current.status },
		});
	}
	if (customerId !== undefined && current.role !== "CUSTOMER") {
		throw fieldInvalid("body", "customerId", "is only for the CUSTOMER role");
	}
	const boundCustomer =
		decision === "approve" && current.role === "CUSTOMER"
			? ((customerId ? await customerOfUser(ctx, current.email, customerId) : current.customerId) ??
				(await customerOfUser(ctx, current.email, undefined)))
			: current.customerId;
	if (decision === "approve" && current.role === "CUSTOMER" && boundCustomer === null) {
		throw fieldInvalid("body", "customerId", "is required: no customer has this user's email");
	}
	const now = ctx.clock.now().toISOString();
	const after: UserRow = {
		...current,
		status: decision === "approve" ? "ACTIVE" : "REJECTED",
		customerId: boundCustomer,
		updatedAt: now,
		decidedAt: now,
	};
	const [updated] = await ctx.db.batch([
		ctx.db
			.update(users)
			.set({ status: after.status, customerId: after.customerId, updatedAt: now, decidedAt: now })
			.where(and(eq(users.tenantId, ctx.tenantId), eq(users.id, id), eq(users.status, "PENDING")))
			.returning({ id: users.id }),
		...changeStatements(ctx, {
			action: decision === "approve" ? "user.approved" : "user.rejected",
			target: { type: "user", id },
			before: presentUser(current),
			after: presentUser(after),
			event: null,
		}),
	]);
	if (updated.length === 0) throw new AppError("invalid_state", `User ${id} was decided meanwhile.`);
	forgetUser(id);
	return presentUser(after);
}
