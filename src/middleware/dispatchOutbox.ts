import type { MiddlewareHandler } from "hono";
import { type AppBindings, isTenantAuth } from "../lib/context";
import { isMutation } from "../lib/http";
import { announceEvents } from "../services/events/events";
import { tenantListens } from "../services/webhooks/listeners";

/**
 * After a successful mutation, hands the events it committed to the webhooks queue without holding
 * up the response, when the tenant has webhook endpoints at all. Should that fail, the events stay
 * undispatched and the cron sweep sends them.
 */
export const dispatchOutbox: MiddlewareHandler<AppBindings> = async (c, next) => {
	await next();
	const auth = c.get("auth");
	if (!isMutation(c.req.method) || c.res.status >= 400 || !isTenantAuth(auth) || c.get("writesNoEvents")) return;
	const { tenantId } = auth;
	const dispatch = tenantListens(c.get("db"), tenantId)
		.then((listens) => (listens ? announceEvents(c.env, tenantId, c.get("requestId")) : undefined))
		.catch((error) =>
			c.get("logger").warn("event dispatch failed; the outbox sweep will retry", { error: (error as Error).message }),
		);
	try {
		c.executionCtx.waitUntil(dispatch);
	} catch {
		// No execution context (an in-process call): the dispatch still runs, unawaited.
	}
};
