import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { apiKeys, roles } from "../../db/schema";
import { builtInRoles, effectivePermissions, isBuiltInRole } from "../../domain/permissions";
import type { ApiKeyAuth } from "../../lib/context";
import { sha256Hex } from "../../lib/crypto";
import { IsolateCache } from "../../lib/isolateCache";

/**
 * Resolved keys are kept per isolate for a few seconds. Looking a key up was a D1 round trip on every
 * request — as much as a GET's own read. The price is a bound on staleness elsewhere: a key revoked
 * through another isolate still works there for up to CACHE_MS (roles never change once made). The
 * isolate that revoked it forgets at once (`forgetResolvedApiKeys`), and expiry is checked on every use.
 */
const CACHE_MS = 10_000;
const resolvedKeys = new IsolateCache<{ auth: ApiKeyAuth; expiresAtMs: number | null }>(CACHE_MS, 1_000);

/** After a revocation: every key is looked up afresh on this isolate. */
export function forgetResolvedApiKeys() {
	resolvedKeys.clear();
}

/** The live key whose secret hashes to `secret`, with its role's permissions; null if there is none. */
export async function resolveApiKey(db: Database, secret: string, now: Date): Promise<ApiKeyAuth | null> {
	const secretHash = await sha256Hex(secret);
	let cached = resolvedKeys.get(secretHash);
	if (!cached) {
		const found = await lookUpApiKey(db, secretHash);
		if (!found) return null;
		resolvedKeys.set(secretHash, found);
		cached = found;
	}
	if (cached.expiresAtMs !== null && cached.expiresAtMs <= now.getTime()) return null;
	return cached.auth;
}

/** One read: the key by its hash and its custom role's permissions; null if unknown or revoked. */
async function lookUpApiKey(db: Database, secretHash: string) {
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
	const rolePermissions = isBuiltInRole(row.role)
		? builtInRoles[row.role].permissions
		: (row.customRolePermissions ?? []);
	const auth: ApiKeyAuth = {
		kind: "api_key",
		tenantId: row.tenantId,
		keyId: row.id,
		role: row.role,
		permissions: effectivePermissions(rolePermissions, row.scopes),
	};
	return { auth, expiresAtMs: row.expiresAt === null ? null : Date.parse(row.expiresAt) };
}
