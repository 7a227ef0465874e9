import type { apiKeys } from "../../db/schema";
import { randomToken, sha256Hex } from "../../lib/crypto";
import { newId } from "../../lib/ids";

const SECRET_PREFIX = "sk_";
const DISPLAY_PREFIX_LENGTH = 11;

/** A new key row and its secret. The secret is returned once and only its hash is stored. */
export async function issueApiKey(fields: {
	tenantId: string;
	name: string;
	role: string;
	scopes: string[] | null;
	expiresAt: string | null;
	createdBy: string | null;
	now: string;
}): Promise<{ row: typeof apiKeys.$inferSelect; secret: string }> {
	const secret = SECRET_PREFIX + randomToken(40);
	return {
		secret,
		row: {
			id: newId("apiKey"),
			tenantId: fields.tenantId,
			name: fields.name,
			secretHash: await sha256Hex(secret),
			prefix: secret.slice(0, DISPLAY_PREFIX_LENGTH),
			role: fields.role,
			scopes: fields.scopes,
			createdBy: fields.createdBy,
			createdAt: fields.now,
			expiresAt: fields.expiresAt,
			revokedAt: null,
		},
	};
}
