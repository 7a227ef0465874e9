import { and, eq } from "drizzle-orm";
import { roles } from "../../db/schema";
import { builtInRoles, isBuiltInRole } from "../../domain/permissions";
import type { ServiceContext } from "../../lib/context";

/** The permissions of a built-in role or of one of the tenant's custom roles; null if there is no such role. */
export async function rolePermissions(ctx: ServiceContext, name: string): Promise<readonly string[] | null> {
	if (isBuiltInRole(name)) return builtInRoles[name].permissions;
	const row = await ctx.db
		.select({ permissions: roles.permissions })
		.from(roles)
		.where(and(eq(roles.tenantId, ctx.tenantId), eq(roles.name, name)))
		.get();
	return row?.permissions ?? null;
}
