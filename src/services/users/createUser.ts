import { and, eq } from "drizzle-orm";
import { customers, users } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { isUniqueViolation } from "../../lib/dbErrors";
import { AppError, fieldInvalid } from "../../lib/errors";
import { hashPassword } from "../../lib/password";
import { presentUser, type UserCreateInput, type UserRow } from "../../schemas/user";
import { changeStatements } from "../changeLog";

/**
 * Adds a user: PENDING when someone registers (a SYSADMIN approves it), ACTIVE when the operator
 * creates one. `ctx.actor` is the registering user itself or the operator. An email is unique per tenant.
 */
export async function createUser({
	ctx,
	id,
	input,
	status,
}: {
	ctx: ServiceContext;
	id: string;
	input: UserCreateInput;
	status: "PENDING" | "ACTIVE";
}) {
	if (input.role !== "CUSTOMER" && input.customerId !== undefined) {
		throw fieldInvalid("body", "customerId", "is only for the CUSTOMER role");
	}
	const customerId = input.role === "CUSTOMER" ? await customerOfUser(ctx, input.email, input.customerId) : null;
	if (status === "ACTIVE" && input.role === "CUSTOMER" && customerId === null) {
		throw fieldInvalid("body", "customerId", "names no customer, and no customer has this email");
	}
	const now = ctx.clock.now().toISOString();
	const row: UserRow = {
		id,
		tenantId: ctx.tenantId,
		email: input.email,
		fullName: input.fullName,
		role: input.role,
		status,
		passwordHash: await hashPassword(input.password),
		customerId,
		createdAt: now,
		updatedAt: now,
		decidedAt: status === "ACTIVE" ? now : null,
	};
	try {
		await ctx.db.batch([
			ctx.db.insert(users).values(row),
			...changeStatements(ctx, {
				action: "user.created",
				target: { type: "user", id },
				before: null,
				after: presentUser(row),
				event: null,
				answers: { status: 201, body: presentUser(row) },
			}),
		]);
	} catch (error) {
		if (isUniqueViolation(error))
			throw new AppError("conflict", `A user with the email '${input.email}' already exists.`);
		throw error;
	}
	return presentUser(row);
}

/**
 * The customer a CUSTOMER user acts for: the one named, which must exist, or else the tenant's active
 * customer with the user's email (null when there is none yet: approval binds it).
 */
export async function customerOfUser(ctx: ServiceContext, email: string, named: string | undefined) {
	const where = named
		? and(eq(customers.tenantId, ctx.tenantId), eq(customers.id, named), eq(customers.status, "active"))
		: and(eq(customers.tenantId, ctx.tenantId), eq(customers.email, email), eq(customers.status, "active"));
	const found = await ctx.db.select({ id: customers.id }).from(customers).where(where).orderBy(customers.id).get();
	if (named && !found) throw fieldInvalid("body", "customerId", `no customer '${named}' exists`);
	return found?.id ?? null;
}
