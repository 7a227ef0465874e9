// Password hashing with PBKDF2-SHA-256 through WebCrypto. Workers cap PBKDF2 at 100,000 iterations,
// which is what new hashes use; the stored form names its own parameters, so they can change later.

const ALGORITHM = "pbkdf2-sha256";
export const PBKDF2_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const HASH_BITS = 256;

const encoder = new TextEncoder();

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
	const key = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveBits"]);
	const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, HASH_BITS);
	return new Uint8Array(bits);
}

/** `pbkdf2-sha256$<iterations>$<salt>$<hash>` with a fresh random salt. */
export async function hashPassword(password: string): Promise<string> {
	const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
	const hash = await derive(password, salt, PBKDF2_ITERATIONS);
	return `${ALGORITHM}$${PBKDF2_ITERATIONS}$${toBase64(salt)}$${toBase64(hash)}`;
}

/** Whether `password` matches `stored`, compared in constant time; a malformed hash matches nothing. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
	const [algorithm, iterations, salt, hash] = stored.split("$");
	const rounds = Number(iterations);
	if (algorithm !== ALGORITHM || !Number.isSafeInteger(rounds) || rounds < 1 || !salt || !hash) return false;
	const expected = fromBase64(hash);
	const actual = await derive(password, fromBase64(salt), rounds);
	return actual.byteLength === expected.byteLength && crypto.subtle.timingSafeEqual(actual, expected);
}

/**
 * A hash of no one's password, verified when a sign-in names an unknown email, so that answering takes
 * as long as for a known one.
 */
export const UNMATCHABLE_HASH = `${ALGORITHM}$${PBKDF2_ITERATIONS}$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=`;
