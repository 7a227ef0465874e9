// Seed 000 addresses a tenant's API as /v1/{tenantId}/billing/...: the same routes as /v1/billing/...,
// reached by routing the tenant-scoped form as the plain one. The credential still decides the tenant;
// the path's tenant is a claim checked against it (middleware/authenticate.ts), like X-Tenant-ID.
import { getPath } from "hono/utils/url";

const TENANT_SCOPED = /^\/v1\/(ten_[0-9A-Za-z]+)(\/billing(?:\/.*)?)$/;

/** The tenant a `/v1/{tenantId}/billing/...` request names in its path, if it used that form. */
export function tenantOfPath(request: Request): string | undefined {
	return TENANT_SCOPED.exec(getPath(request))?.[1];
}

/** The path a request is routed by: `/v1/{tenantId}/billing/...` as `/v1/billing/...`, others as sent. */
export function routedPath(request: Request): string {
	const path = getPath(request);
	const scoped = TENANT_SCOPED.exec(path);
	return scoped ? `/v1${scoped[2]}` : path;
}
