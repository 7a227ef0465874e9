import type { Context } from "hono";
import type { Database } from "../db/client";
import type { Permission } from "../domain/permissions";
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

export type OperatorAuth = { kind: "operator" };

export type Auth = ApiKeyAuth | OperatorAuth;

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
};

export function tenantContext(c: AppContext): ServiceContext {
	const auth = c.get("auth");
	if (auth?.kind !== "api_key") throw new AppError("unauthenticated", "This operation needs a tenant API key.");
	return {
		db: c.get("db"),
		env: c.env,
		tenantId: auth.tenantId,
		actor: { type: "api_key", id: auth.keyId },
		requestId: c.get("requestId"),
		clock: c.get("clock"),
		logger: c.get("logger"),
	};
}
