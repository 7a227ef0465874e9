// Where webhooks may be sent. In production only https to public hosts: no IP literal in a private,
// loopback, link-local or reserved range and no local-only host name, so a tenant cannot aim
// deliveries at the platform's own network. Local development may allow http://localhost.

export type TargetCheck = { ok: true; url: URL } | { ok: false; reason: string };

const LOCAL_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/i;

function ipv4(host: string): number[] | null {
	const parts = host.split(".");
	if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null;
	const octets = parts.map(Number);
	return octets.every((o) => o <= 255) ? octets : null;
}

function privateIpv4([a, b]: number[]): boolean {
	if (a === undefined || b === undefined) return true;
	return (
		a === 0 ||
		a === 10 ||
		a === 127 ||
		(a === 100 && b >= 64 && b <= 127) ||
		(a === 169 && b === 254) ||
		(a === 172 && b >= 16 && b <= 31) ||
		(a === 192 && b === 168) ||
		(a === 198 && (b === 18 || b === 19)) ||
		a >= 224
	);
}

function privateIpv6(host: string): boolean {
	const h = host.replace(/^\[|\]$/g, "").toLowerCase();
	if (h === "::" || h === "::1") return true;
	// IPv4-mapped addresses, which URL parsing writes in hex (::ffff:a00:1 for 10.0.0.1).
	const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(h);
	if (mapped?.[1] && mapped[2]) {
		const high = Number.parseInt(mapped[1], 16);
		return privateIpv4([high >> 8, high & 0xff]);
	}
	return /^f[cd]/.test(h) || /^fe[89ab]/.test(h) || /^ff/.test(h);
}

const isLoopbackName = (host: string) => host === "localhost" || host === "127.0.0.1" || host === "[::1]";

export function checkWebhookTarget(raw: string, options: { allowLocalhost: boolean }): TargetCheck {
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		return { ok: false, reason: "is not a URL" };
	}
	const host = url.hostname.toLowerCase();
	if (url.username || url.password) return { ok: false, reason: "must not carry credentials" };
	if (options.allowLocalhost && url.protocol === "http:" && isLoopbackName(host)) return { ok: true, url };
	if (url.protocol !== "https:") return { ok: false, reason: "must use https" };
	if (host.startsWith("[") || host.includes(":")) {
		return privateIpv6(host)
			? { ok: false, reason: "must not point at a private, loopback or link-local address" }
			: { ok: true, url };
	}
	const v4 = ipv4(host);
	if (v4 && privateIpv4(v4))
		return { ok: false, reason: "must not point at a private, loopback or link-local address" };
	if (!v4 && (LOCAL_NAMES.test(host) || !host.includes("."))) return { ok: false, reason: "must name a public host" };
	return { ok: true, url };
}

/** Retry delay after the nth failed attempt: 30 s doubling each time, capped at the queue's 12 hours. */
export const retryDelaySeconds = (attempt: number) => Math.min(30 * 2 ** Math.max(0, attempt - 1), 43_200);
