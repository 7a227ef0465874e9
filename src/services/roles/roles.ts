import { asc, eq } from "drizzle-orm";
import type { z } from "zod";
import { roles } from "../../db/schema";
import { builtInRoles, isBuiltInRole } from "../../domain/permissions";
import type { ServiceContext } from "../../lib/context";
import { isUniqueViolation } from "../../lib/dbErrors";
import { AppError, fieldInvalid } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { roleCreateBody } from "../../schemas/role";
import { presentRole } from "../../schemas/role";
import { changeStatements } from "../changeLog";

export async function listRoles({ ctx }: { ctx: ServiceContext }) {
	const builtIn = Object.entries(builtInRoles).map(([name, role]) => ({
		id: null,
		object: "role" as const,
		name,
		description: role.description,
		built_in: true,
		permissions: [...role.permissions],
		created_at: null,
	}));
	const custom = await ctx.db.select().from(roles).where(eq(roles.tenantId, ctx.tenantId)).orderBy(asc(roles.name));
	const data = [...builtIn, ...custom.map(presentRole)];
	return { object: "list" as const, data, has_more: false, next_cursor: null, limit: data.length };
}

export async function createRole({ ctx, input }: { ctx: ServiceContext; input: z.infer<typeof roleCreateBody> }) {
	if (isBuiltInRole(input.name)) throw fieldInvalid("body", "name", "is the name of a built-in role");
	const row: typeof roles.$inferSelect = {
		id: newId("role"),
		tenantId: ctx.tenantId,
		name: input.name,
		description: input.description ?? null,
		permissions: [...new Set(input.permissions)],
		createdAt: ctx.clock.now().toISOString(),
	};
	try {
		await ctx.db.batch([
			ctx.db.insert(roles).values(row),
			...changeStatements(ctx, {
				action: "role.created",
				target: { type: "role", id: row.id },
				before: null,
				after: presentRole(row),
				event: null,
				answers: { status: 201 },
			}),
		]);
	} catch (error) {
		if (isUniqueViolation(error)) throw new AppError("conflict", `A role named '${input.name}' already exists.`);
		throw error;
	}
	return presentRole(row);
}
