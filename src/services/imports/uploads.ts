// Files for imports reach R2 under the tenant's prefix, either through a signed upload URL (anyone
// holding it may PUT one file until it expires; the signature, an HMAC over tenant, key and expiry,
// is checked before anything is stored) or by a PUT with the tenant's API key.

import type { Env } from "../../env";
import type { ServiceContext } from "../../lib/context";
import { randomToken, secretsEqual } from "../../lib/crypto";
import { AppError } from "../../lib/errors";
import { tenantPrefix } from "../jobs/imports";

/** The largest file an upload stores. */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
/** How long an upload URL can be used. */
const UPLOAD_URL_SECONDS = 15 * 60;

/** A name no other upload of the tenant has. */
export const newUploadName = () => `upl_${randomToken(24)}`;

export const uploadKey = (tenantId: string, name: string) => `${tenantPrefix(tenantId)}uploads/${name}`;

const encoder = new TextEncoder();

async function signature(env: Env, tenantId: string, key: string, expires: number) {
	if (!env.SECRETS_KEY) {
		throw new AppError(
			"service_unavailable",
			"Upload URLs need SECRETS_KEY to be configured; PUT with your API key instead.",
		);
	}
	const hmacKey = await crypto.subtle.importKey(
		"raw",
		encoder.encode(env.SECRETS_KEY),
		{ name: "HMAC", hash: "SHA-256" },
		false,
		["sign"],
	);
	const signed = await crypto.subtle.sign("HMAC", hmacKey, encoder.encode(`upload\n${tenantId}\n${key}\n${expires}`));
	return [...new Uint8Array(signed)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A new upload's key and the signed URL that stores it. */
export async function createUpload({ ctx }: { ctx: ServiceContext }) {
	const name = newUploadName();
	const key = uploadKey(ctx.tenantId, name);
	const expires = Math.floor(ctx.clock.now().getTime() / 1000) + UPLOAD_URL_SECONDS;
	const query = new URLSearchParams({
		name,
		tenant: ctx.tenantId,
		expires: String(expires),
		signature: await signature(ctx.env, ctx.tenantId, key, expires),
	});
	return {
		object: "upload" as const,
		key,
		upload_url: `/v1/billing/uploads?${query}`,
		method: "PUT" as const,
		expires_at: new Date(expires * 1000).toISOString(),
		max_bytes: MAX_UPLOAD_BYTES,
	};
}

export type UploadGrant = { name: string; tenant: string; expires: string; signature: string };

/** The tenant a signed upload URL lets store `name`; 403 when it expired or was altered. */
export async function verifyUploadUrl(env: Env, now: Date, grant: UploadGrant): Promise<string> {
	const { name } = grant;
	const expires = Number(grant.expires);
	if (!Number.isSafeInteger(expires)) throw new AppError("forbidden", "The upload URL is not valid.");
	const expected = await signature(env, grant.tenant, uploadKey(grant.tenant, name), expires);
	if (!secretsEqual(expected, grant.signature)) throw new AppError("forbidden", "The upload URL is not valid.");
	if (expires * 1000 <= now.getTime())
		throw new AppError("forbidden", "The upload URL has expired; ask for a new one.");
	return grant.tenant;
}

/** Stores a file's bytes under the tenant's uploads, refusing one over the size limit. */
export async function storeUpload(env: Env, tenantId: string, name: string, request: Request) {
	const declared = Number(request.headers.get("content-length") ?? "0");
	if (declared > MAX_UPLOAD_BYTES) throw tooLarge();
	const body = await request.arrayBuffer();
	if (body.byteLength > MAX_UPLOAD_BYTES) throw tooLarge();
	if (body.byteLength === 0)
		throw new AppError("validation_failed", "The upload is empty.", {
			errors: [{ location: "body", field: "body", message: "holds no bytes" }],
		});
	const contentType = request.headers.get("content-type") ?? "application/octet-stream";
	const key = uploadKey(tenantId, name);
	await env.FILES.put(key, body, { httpMetadata: { contentType } });
	return { object: "upload" as const, key, size: body.byteLength, content_type: contentType };
}

const tooLarge = () =>
	new AppError("payload_too_large", `An upload holds at most ${MAX_UPLOAD_BYTES} bytes.`, {
		extensions: { limit_bytes: MAX_UPLOAD_BYTES },
	});
