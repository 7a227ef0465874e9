import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { apiKeys, roles } from "../../db/schema";
import { builtInRoles, effectivePermissions, isBuiltInRole } from "../../domain/permissions";
import type { ApiKeyAuth } from "../../lib/context";
import { sha256Hex } from "../../lib/crypto";

/** Finds the live key whose secret hashes to `secret`, with its role's permissions, in one read. */
export async function resolveApiKey(db: Database, secret: string, now: Date): Promise<ApiKeyAuth | null> {
	const secretHash = await sha256Hex(secret);
	const row = await db
		.select({
			id: apiKeys.id,
			tenantId: apiKeys.tenantId,
			role: apiKeys.role,
			scopes: apiKeys.scopes,
			expiresAt: apiKeys.expiresAt,
			revokedAt: apiKeys.revokedAt,
			customRolePermissions: roles.permissions,
		})
		.from(apiKeys)
		.leftJoin(roles, and(eq(roles.tenantId, apiKeys.tenantId), eq(roles.name, apiKeys.role)))
		.where(eq(apiKeys.secretHash, secretHash))
		.get();
	if (!row || row.revokedAt !== null) return null;
	if (row.expiresAt !== null && Date.parse(row.expiresAt) <= now.getTime()) return null;
	const rolePermissions = isBuiltInRole(row.role)
		? builtInRoles[row.role].permissions
		: (row.customRolePermissions ?? []);
	return {
		kind: "api_key",
		tenantId: row.tenantId,
		keyId: row.id,
		role: row.role,
		permissions: effectivePermissions(rolePermissions, row.scopes),
	};
}
