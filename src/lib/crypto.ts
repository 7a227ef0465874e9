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

const decoder = new TextDecoder();
const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** An AES-256-GCM key derived from the deployment's secret (any string: it is hashed to 256 bits). */
async function secretKey(secret: string): Promise<CryptoKey> {
	const material = await crypto.subtle.digest("SHA-256", encoder.encode(secret));
	return crypto.subtle.importKey("raw", material, "AES-GCM", false, ["encrypt", "decrypt"]);
}

/** Encrypts a credential for storage: `v1.<iv>.<ciphertext>`, base64, with a fresh 96-bit IV. */
export async function encryptSecret(plaintext: string, secret: string): Promise<string> {
	const iv = crypto.getRandomValues(new Uint8Array(12));
	const sealed = await crypto.subtle.encrypt(
		{ name: "AES-GCM", iv },
		await secretKey(secret),
		encoder.encode(plaintext),
	);
	return `v1.${toBase64(iv)}.${toBase64(new Uint8Array(sealed))}`;
}

/** The credential `encryptSecret` sealed; throws when the secret differs or the text was altered. */
export async function decryptSecret(sealed: string, secret: string): Promise<string> {
	const [version, iv, ciphertext] = sealed.split(".");
	if (version !== "v1" || !iv || !ciphertext) throw new Error("not a sealed secret");
	const plain = await crypto.subtle.decrypt(
		{ name: "AES-GCM", iv: fromBase64(iv) },
		await secretKey(secret),
		fromBase64(ciphertext),
	);
	return decoder.decode(plain);
}
