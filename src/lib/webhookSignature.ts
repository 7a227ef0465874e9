// Standard Webhooks signing (https://www.standardwebhooks.com): HMAC-SHA256 over
// "<webhook-id>.<webhook-timestamp>.<body>" with the endpoint's secret, sent as "v1,<base64>".

const encoder = new TextEncoder();

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

export const SECRET_PREFIX = "whsec_";

/** A new secret: 32 random bytes, base64, with the whsec_ prefix. */
export function newWebhookSecret(): string {
	return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(32)));
}

export function isWebhookSecret(secret: string): boolean {
	if (!secret.startsWith(SECRET_PREFIX)) return false;
	try {
		const key = fromBase64(secret.slice(SECRET_PREFIX.length));
		return key.length >= 24 && key.length <= 64;
	} catch {
		return false;
	}
}

export async function signedHeaders(
	secret: string,
	messageId: string,
	timestamp: Date,
	body: string,
): Promise<Record<string, string>> {
	const key = await crypto.subtle.importKey(
		"raw",
		fromBase64(secret.slice(SECRET_PREFIX.length)),
		{ name: "HMAC", hash: "SHA-256" },
		false,
		["sign"],
	);
	const seconds = String(Math.floor(timestamp.getTime() / 1000));
	const signature = await crypto.subtle.sign("HMAC", key, encoder.encode(`${messageId}.${seconds}.${body}`));
	return {
		"webhook-id": messageId,
		"webhook-timestamp": seconds,
		"webhook-signature": `v1,${toBase64(new Uint8Array(signature))}`,
	};
}
