import type { MiddlewareHandler } from "hono";
import { config } from "../env";
import type { AppBindings } from "../lib/context";
import { secretsEqual } from "../lib/crypto";
import { AppError } from "../lib/errors";
import { tenantOfPath } from "../lib/tenantPath";
import { resolveApiKey } from "../services/keys/resolveApiKey";
import { resolveUserToken } from "../services/users/resolveUserToken";

/** A user's token (header.payload.signature, base64url); API keys have no dots. */
const JWT_SHAPE = /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/;

const unauthenticated = (detail: string) =>
	new AppError("unauthenticated", detail, { headers: { "WWW-Authenticate": 'Bearer realm="billing"' } });

/**
 * Resolves the bearer credential, when one is sent, to an operator, a tenant's API key or a user's
 * token (a JWT from POST /api/v1/auth/login). A bad, revoked or expired credential is refused here;
 * whether a route needs a credential at all is the route's own declaration (see routes/base.ts).
 */
export const authenticate: MiddlewareHandler<AppBindings> = async (c, next) => {
	const header = c.req.header("authorization");
	if (!header) return next();
	const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
	if (!match?.[1]) throw unauthenticated("The Authorization header must be 'Bearer <api key>'.");
	const token = match[1];

	const adminToken = config(c.env).adminToken;
	if (adminToken && secretsEqual(token, adminToken)) {
		c.set("auth", { kind: "operator" });
		return next();
	}

	const auth = JWT_SHAPE.test(token)
		? await resolveUserToken(c.get("db"), c.env, token, c.get("clock").now())
		: await resolveApiKey(c.get("db"), token, c.get("clock").now());
	if (!auth) {
		throw unauthenticated(
			JWT_SHAPE.test(token)
				? "The token is invalid or expired, or its user is no longer active."
				: "The API key is unknown, revoked or expired.",
		);
	}

	const claimedTenant = c.req.header("x-tenant-id");
	if (claimedTenant !== undefined && claimedTenant !== auth.tenantId) {
		throw new AppError("forbidden", "X-Tenant-ID does not match the tenant of the credential.");
	}
	const pathTenant = tenantOfPath(c.req.raw);
	if (pathTenant !== undefined && pathTenant !== auth.tenantId) {
		throw new AppError("forbidden", "The tenant in the path does not match the tenant of the API key.");
	}
	c.set("auth", auth);
	return next();
};
