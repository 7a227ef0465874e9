import { asc, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { tenants, users } from "../../db/schema";
import { AppError } from "../../lib/errors";

/**
 * The tenant a sign-in or registration belongs to: the one `X-Tenant-ID` names, or else the tenant of
 * the first SYSADMIN ever created (a single-tenant deployment needs no header).
 */
export async function userTenant(db: Database, named: string | undefined): Promise<string> {
	if (named !== undefined) {
		const tenant = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, named)).get();
		if (!tenant) throw new AppError("invalid_request", `X-Tenant-ID names no tenant ('${named}').`);
		return tenant.id;
	}
	const first = await db
		.select({ tenantId: users.tenantId })
		.from(users)
		.where(eq(users.role, "SYSADMIN"))
		.orderBy(asc(users.createdAt), asc(users.id))
		.get();
	if (!first) throw new AppError("invalid_request", "No tenant has a SYSADMIN yet: send X-Tenant-ID.");
	return first.tenantId;
}
