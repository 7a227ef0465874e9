// JSON Web Tokens signed with HMAC-SHA-512 (HS512) through WebCrypto. Keys come from one secret,
// JWT_SIGNING_KEYS = "kid:secret[,kid:secret…]": the first signs, every one verifies, so a key is
// rotated by putting a new one first and dropping the old one after the tokens it signed expired.

export type SigningKey = { kid: string; secret: string };

const MIN_SECRET_LENGTH = 32;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The keys of JWT_SIGNING_KEYS, or null when it is missing or malformed (no token is issued or accepted). */
export function parseSigningKeys(value: string | undefined): SigningKey[] | null {
	if (!value) return null;
	const keys = value.split(",").map((entry) => {
		const colon = entry.indexOf(":");
		return colon < 0
			? { kid: "", secret: "" }
			: { kid: entry.slice(0, colon).trim(), secret: entry.slice(colon + 1).trim() };
	});
	const valid = keys.every((k) => /^[\w.-]{1,64}$/.test(k.kid) && k.secret.length >= MIN_SECRET_LENGTH);
	return valid && keys.length > 0 ? keys : null;
}

const base64url = (bytes: Uint8Array) =>
	btoa(String.fromCharCode(...bytes))
		.replace(/\+/g, "-")
		.replace(/\//g, "_")
		.replace(/=+$/, "");

function fromBase64url(text: string): Uint8Array | null {
	if (!/^[\w-]*$/.test(text)) return null;
	const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
	try {
		return Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
	} catch {
		return null;
	}
}

const hmacKey = (secret: string, usage: "sign" | "verify") =>
	crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-512" }, false, [usage]);

export async function signJwt(claims: Record<string, unknown>, key: SigningKey): Promise<string> {
	const header = base64url(encoder.encode(JSON.stringify({ alg: "HS512", typ: "JWT", kid: key.kid })));
	const payload = base64url(encoder.encode(JSON.stringify(claims)));
	const signature = await crypto.subtle.sign(
		"HMAC",
		await hmacKey(key.secret, "sign"),
		encoder.encode(`${header}.${payload}`),
	);
	return `${header}.${payload}.${base64url(new Uint8Array(signature))}`;
}

/**
 * The claims of a token signed by one of `keys` (chosen by its `kid`) with HS512 and not expired at
 * `nowSeconds`; null for anything else. The signature is checked by WebCrypto (constant time).
 */
export async function verifyJwt(
	token: string,
	keys: readonly SigningKey[],
	nowSeconds: number,
): Promise<Record<string, unknown> | null> {
	const parts = token.split(".");
	if (parts.length !== 3) return null;
	const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
	const header = parseJson(fromBase64url(headerPart));
	if (header?.alg !== "HS512" || typeof header.kid !== "string") return null;
	const key = keys.find((k) => k.kid === header.kid);
	const signature = fromBase64url(signaturePart);
	if (!key || !signature) return null;
	const signed = encoder.encode(`${headerPart}.${payloadPart}`);
	if (!(await crypto.subtle.verify("HMAC", await hmacKey(key.secret, "verify"), signature, signed))) return null;
	const claims = parseJson(fromBase64url(payloadPart));
	if (!claims || typeof claims.exp !== "number" || claims.exp <= nowSeconds) return null;
	return claims;
}

function parseJson(bytes: Uint8Array | null): Record<string, unknown> | null {
	if (!bytes) return null;
	try {
		const value: unknown = JSON.parse(decoder.decode(bytes));
		return value !== null && typeof value === "object" && !Array.isArray(value)
			? (value as Record<string, unknown>)
			: null;
	} catch {
		return null;
	}
}
