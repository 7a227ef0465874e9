import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { users } from "../../db/schema";
import type { Env } from "../../env";
import { AppError } from "../../lib/errors";
import { parseSigningKeys, signJwt } from "../../lib/jwt";
import { UNMATCHABLE_HASH, verifyPassword } from "../../lib/password";
import { assertNotThrottled, clearLoginFailures, loginSubjects, recordLoginFailure } from "./loginThrottle";

export const TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

type LoginInput = { tenantId: string; email: string; password: string; ip: string; now: Date };

const invalidCredentials = () => new AppError("unauthenticated", "The email or password is wrong.");

/**
 * Checks a user's password and issues a 24-hour HS512 token. Repeated failures for an email or from
 * an address are refused with 429 before any password is checked. An unknown email costs as much
 * time as a wrong password; a right password of a user not (or no longer) approved is a 403.
 */
export async function loginUser(db: Database, env: Env, input: LoginInput) {
	const keys = parseSigningKeys(env.JWT_SIGNING_KEYS);
	if (!keys) throw new AppError("service_unavailable", "Sign-in is not configured (JWT_SIGNING_KEYS).");
	const subjects = loginSubjects(input.tenantId, input.email, input.ip);
	await assertNotThrottled(db, subjects, input.now);
	const user = await db
		.select()
		.from(users)
		.where(and(eq(users.tenantId, input.tenantId), eq(users.email, input.email)))
		.get();
	if (!(await verifyPassword(input.password, user?.passwordHash ?? UNMATCHABLE_HASH)) || !user) {
		await recordLoginFailure(db, subjects, input.now);
		throw invalidCredentials();
	}
	await clearLoginFailures(db, subjects);
	if (user.status !== "ACTIVE") {
		const why = user.status === "PENDING" ? "is waiting for a SYSADMIN's approval" : "was rejected";
		throw new AppError("forbidden", `This account ${why}.`, { extensions: { userStatus: user.status } });
	}
	const issuedAt = Math.floor(input.now.getTime() / 1000);
	const [signingKey] = keys as [(typeof keys)[number]];
	const token = await signJwt(
		{ sub: user.id, tid: user.tenantId, role: user.role, iat: issuedAt, exp: issuedAt + TOKEN_LIFETIME_SECONDS },
		signingKey,
	);
	return { token, user: { id: user.id, email: user.email, fullName: user.fullName, role: user.role } };
}
