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
