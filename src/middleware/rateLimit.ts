import type { MiddlewareHandler } from "hono";
import { config } from "../env";
import { type AppBindings, isTenantAuth, principalOf } from "../lib/context";
import { AppError } from "../lib/errors";

const WINDOW_SECONDS = 60;

/** Per-credential limit through the Workers Rate Limiting binding; anonymous routes are not limited. */
export const rateLimit: MiddlewareHandler<AppBindings> = async (c, next) => {
	const auth = c.get("auth");
	if (!auth) return next();
	const key = isTenantAuth(auth) ? principalOf(auth) : "operator";
	const { success } = await c.env.RATE_LIMITER.limit({ key });
	if (!success) {
		throw new AppError("rate_limited", `Rate limit exceeded; retry after ${WINDOW_SECONDS} seconds.`, {
			headers: { "Retry-After": String(WINDOW_SECONDS) },
			extensions: { limit_per_minute: config(c.env).rateLimitPerMinute },
		});
	}
	return next();
};
