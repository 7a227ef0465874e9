const encoder = new TextEncoder();
// Every request hashes its API key (and a keyed mutation its body): a table beats formatting each byte.
const HEX_OF_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

export async function sha256Hex(input: string | Uint8Array): Promise<string> {
	const bytes = typeof input === "string" ? encoder.encode(input) : input;
	const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
	let hex = "";
	for (const byte of digest) hex += HEX_OF_BYTE[byte];
	return hex;
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A random string of base62 characters; 32 characters carry ~190 bits. */
export function randomToken(length = 32): string {
	// Rejection sampling keeps every character equally likely.
	const out: string[] = [];
	while (out.length < length) {
		for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
			if (byte < 248 && out.length < length) out.push(BASE62[byte % 62] as string);
		}
	}
	return out.join("");
}

/** Compares two secrets without leaking, through timing, where they first differ. */
export function secretsEqual(a: string, b: string): boolean {
	const left = encoder.encode(a);
	const right = encoder.encode(b);
	if (left.byteLength !== right.byteLength) return false;
	return crypto.subtle.timingSafeEqual(left, right);
}

// Secrets the service must use again later (an external provider's API key) are sealed with AES-256-GCM
// under SECRETS_KEY. `context` (tenant and row id) is authenticated with the ciphertext, so a sealed
// value copied to another row or tenant does not open.
const SEALED = /^v1\.([A-Za-z0-9+/=]+)\.([A-Za-z0-9+/=]+)$/;

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));

async function sealingKey(keyBase64: string): Promise<CryptoKey> {
	let raw: Uint8Array;
	try {
		raw = fromBase64(keyBase64);
	} catch {
		throw new RangeError("SECRETS_KEY must be base64");
	}
	if (raw.byteLength !== 32) throw new RangeError("SECRETS_KEY must hold 32 bytes (base64 of a 256-bit key)");
	return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

export async function sealSecret(keyBase64: string, plaintext: string, context: string): Promise<string> {
	const iv = crypto.getRandomValues(new Uint8Array(12));
	const ciphertext = await crypto.subtle.encrypt(
		{ name: "AES-GCM", iv, additionalData: encoder.encode(context) },
		await sealingKey(keyBase64),
		encoder.encode(plaintext),
	);
	return `v1.${toBase64(iv)}.${toBase64(new Uint8Array(ciphertext))}`;
}

export async function openSecret(keyBase64: string, sealed: string, context: string): Promise<string> {
	const match = SEALED.exec(sealed);
	if (!match) throw new RangeError("not a sealed secret");
	const plaintext = await crypto.subtle.decrypt(
		{ name: "AES-GCM", iv: fromBase64(match[1] as string), additionalData: encoder.encode(context) },
		await sealingKey(keyBase64),
		fromBase64(match[2] as string),
	);
	return new TextDecoder().decode(plaintext);
}
