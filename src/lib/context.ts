import type { Context } from "hono";
import type { Database } from "../db/client";
import type { Permission, UserRole } from "../domain/permissions";
import type { Env } from "../env";
import type { Actor } from "./actor";
import type { Clock } from "./clock";
import { AppError, type ErrorCode } from "./errors";
import type { RequestKey } from "./idempotency";
import type { Logger } from "./logger";

export type ApiKeyAuth = {
	kind: "api_key";
	tenantId: string;
	keyId: string;
	role: string;
	permissions: ReadonlySet<Permission>;
};

/** A person signed in with a JWT; a CUSTOMER user is bound to one customer and sees only its data. */
export type UserAuth = {
	kind: "user";
	tenantId: string;
	userId: string;
	role: UserRole;
	permissions: ReadonlySet<Permission>;
	customerId: string | null;
};

/** A credential that acts inside one tenant. */
export type TenantAuth = ApiKeyAuth | UserAuth;

export type OperatorAuth = { kind: "operator" };

export type Auth = TenantAuth | OperatorAuth;

export const isTenantAuth = (auth: Auth | undefined): auth is TenantAuth =>
	auth?.kind === "api_key" || auth?.kind === "user";

/** Who a credential is, for rate limits and audit rows. */
export const principalOf = (auth: TenantAuth) => (auth.kind === "api_key" ? auth.keyId : auth.userId);

export type AppBindings = {
	Bindings: Env;
	Variables: {
		requestId: string;
		logger: Logger;
		clock: Clock;
		db: Database;
		auth?: Auth;
		/** The request body as text, read once by the body guard for routes that take one. */
		rawBody?: string;
		/** The JSON body as the body guard parsed it (a route reading the raw body need not parse it again). */
		jsonBody?: unknown;
		/** Set by a handler whose request can write no outbox events: nothing to dispatch after it. */
		writesNoEvents?: boolean;
		/** The mutation's Idempotency-Key (idempotency middleware): claimed before the handler, or answered in its commit. */
		idempotencyKey?: RequestKey;
		/** The problem code of the error response, for middleware that runs after the handler. */
		errorCode?: ErrorCode;
	};
};

/** Read variables with `c.get(name)`: `c.var` builds a new object of all of them on every read. */
export type AppContext = Context<AppBindings>;

/** What a service verb needs from the outside world: never a Hono context, so jobs can call it too. */
export type ServiceContext = {
	db: Database;
	env: Env;
	tenantId: string;
	actor: Actor;
	requestId: string | null;
	clock: Clock;
	logger: Logger;
	/**
	 * The request's Idempotency-Key, when it sent one: the change marked `answers` (changeLog.ts) stores
	 * the request's answer in its own batch, and so answers the key.
	 */
	requestKey?: RequestKey;
};

export function tenantContext(c: AppContext): ServiceContext {
	const auth = c.get("auth");
	if (!isTenantAuth(auth))
		throw new AppError("unauthenticated", "This operation needs a tenant API key or a user's token.");
	return actingIn(c, auth.tenantId, { type: auth.kind, id: principalOf(auth) });
}

/** A service context for `actor` in `tenantId`, where the request itself carries no tenant credential. */
export function actingIn(c: AppContext, tenantId: string, actor: Actor): ServiceContext {
	return {
		db: c.get("db"),
		env: c.env,
		tenantId,
		actor,
		requestId: c.get("requestId"),
		clock: c.get("clock"),
		logger: c.get("logger"),
		requestKey: keyAnsweredInCommit(c),
	};
}

/**
 * The request's key for its change to answer, unless its route claimed it first (a request of several
 * commits): the middleware stores that answer after the handler, and no commit of the request may.
 */
function keyAnsweredInCommit(c: AppContext): RequestKey | undefined {
	const requestKey = c.get("idempotencyKey");
	return requestKey?.held ? undefined : requestKey;
}
