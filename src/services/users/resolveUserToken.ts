import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { users } from "../../db/schema";
import { userRoles } from "../../domain/permissions";
import type { Env } from "../../env";
import type { UserAuth } from "../../lib/context";
import { IsolateCache } from "../../lib/isolateCache";
import { parseSigningKeys, verifyJwt } from "../../lib/jwt";

/**
 * A token's user is read again at most every few seconds per isolate (as API keys are): a user
 * rejected or re-bound elsewhere keeps its old standing here for up to CACHE_MS; the isolate that
 * changed it forgets at once (`forgetUser`).
 */
const CACHE_MS = 10_000;
const resolvedUsers = new IsolateCache<UserAuth | null>(CACHE_MS, 1_000);

export function forgetUser(userId: string) {
	resolvedUsers.delete(userId);
}

/** The active user a valid, unexpired token names, with its role's permissions; null otherwise. */
export async function resolveUserToken(db: Database, env: Env, token: string, now: Date): Promise<UserAuth | null> {
	const keys = parseSigningKeys(env.JWT_SIGNING_KEYS);
	if (!keys) return null;
	const claims = await verifyJwt(token, keys, Math.floor(now.getTime() / 1000));
	if (!claims || typeof claims.sub !== "string" || typeof claims.tid !== "string") return null;
	let auth = resolvedUsers.get(claims.sub);
	if (auth === undefined) {
		auth = await lookUpUser(db, claims.sub);
		resolvedUsers.set(claims.sub, auth);
	}
	return auth?.tenantId === claims.tid ? auth : null;
}

async function lookUpUser(db: Database, userId: string): Promise<UserAuth | null> {
	const row = await db
		.select({ tenantId: users.tenantId, role: users.role, customerId: users.customerId })
		.from(users)
		.where(and(eq(users.id, userId), eq(users.status, "ACTIVE")))
		.get();
	// A CUSTOMER user without its customer could see no data of its own: it cannot act at all.
	if (!row || (row.role === "CUSTOMER" && row.customerId === null)) return null;
	return {
		kind: "user",
		tenantId: row.tenantId,
		userId,
		role: row.role,
		permissions: new Set(userRoles[row.role]),
		customerId: row.role === "CUSTOMER" ? row.customerId : null,
	};
}
