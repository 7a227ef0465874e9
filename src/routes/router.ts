import { fromHono } from "chanfana";
import { Hono } from "hono";
import type { AppBindings } from "../lib/context";

/** A resource's sub-router; errors pass through untouched to the app's problem+json handler. */
export const newRouter = () =>
	fromHono(new Hono<AppBindings>(), { passthroughErrors: true, docs_url: null, openapi_url: null, redoc_url: null });
