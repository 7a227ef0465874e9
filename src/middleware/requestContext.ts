import type { MiddlewareHandler } from "hono";
import { database } from "../db/client";
import { type ConfigError, configError, logLevelOf } from "../env";
import { systemClock } from "../lib/clock";
import { type AppBindings, isTenantAuth } from "../lib/context";
import { AppError } from "../lib/errors";
import { newId } from "../lib/ids";
import { createLogger, type Logger } from "../lib/logger";
import { recordRequest } from "../services/operations/requestMetrics";

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

let configErrorLogged = false;

/**
 * A misconfigured deployment answers every request 503 naming the setting to fix (never its value), and
 * says so in the log once per isolate rather than once per request.
 */
function refuseMisconfigured(error: ConfigError, logger: Logger): never {
	if (!configErrorLogged) {
		configErrorLogged = true;
		logger.error("configuration error", { setting: error.setting, problem: error.problem });
	}
	throw new AppError("service_unavailable", `The deployment is misconfigured: ${error.setting}: ${error.problem}`, {
		extensions: { setting: error.setting },
	});
}

/** First in the chain: a request id (echoed when the client sent a usable one), logger, clock, db. */
export const requestContext: MiddlewareHandler<AppBindings> = async (c, next) => {
	const started = performance.now();
	const sent = c.req.header("x-request-id");
	const requestId = sent && CLIENT_REQUEST_ID.test(sent) ? sent : newId("request");
	const misconfigured = configError(c.env);
	const logger = createLogger({ request_id: requestId }, logLevelOf(c.env));
	c.set("requestId", requestId);
	c.set("logger", logger);
	if (misconfigured) refuseMisconfigured(misconfigured, logger);
	c.set("clock", systemClock);
	c.set("db", database(c.env.DB));
	await next();
	c.res.headers.set("X-Request-Id", requestId);
	const auth = c.get("auth");
	const tenantId = isTenantAuth(auth) ? auth.tenantId : undefined;
	const durationMs = performance.now() - started;
	recordRequest({ method: c.req.method, route: c.req.routePath, status: c.res.status, durationMs, tenantId });
	logger.info("request", {
		method: c.req.method,
		path: c.req.path,
		route: c.req.routePath,
		status: c.res.status,
		duration_ms: Math.round(durationMs * 100) / 100,
		tenant_id: tenantId,
		error_code: c.get("errorCode"),
	});
};
