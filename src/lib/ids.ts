// Prefixed, time-sortable ids (`cus_01J…`): a 48-bit millisecond timestamp and 80 random bits in
// Crockford base32, as in ULID. Ids made in the same millisecond by one isolate keep increasing, so
// ordering by id is ordering by creation, which cursor pagination relies on.

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export const idPrefixes = {
	tenant: "ten",
	apiKey: "key",
	role: "role",
	audit: "aud",
	event: "evt",
	customer: "cus",
	customerNote: "note",
	request: "req",
	invoice: "inv",
	invoiceLine: "line",
	delivery: "dlv",
	job: "job",
	journal: "jrnl",
	journalLine: "jl",
	payment: "pay",
	allocation: "alloc",
	refund: "re",
	creditNote: "cn",
	creditNoteApplication: "cna",
	dispute: "dp",
	reconciliation: "rec",
	webhookEndpoint: "we",
	webhookDelivery: "msg",
	webhookAttempt: "wat",
	plan: "plan",
	paymentMethod: "pm",
	subscription: "sub",
	pendingItem: "ii",
	coupon: "coupon",
	testClock: "clock",
	billableMetric: "bm",
	usageEvent: "uev",
	usageAdjustment: "uadj",
	usageCharge: "uc",
	usageRejection: "urej",
	taxRate: "txr",
	taxProvider: "txp",
	user: "usr",
	document: "doc",
	statement: "stmt",
	template: "tmpl",
	taxAdjustment: "txa",
	taxRegistration: "txg",
	einvoiceSubmission: "eis",
	dunningRule: "dunr",
	dunningAttempt: "dunat",
	collectionCase: "case",
} as const;

export type IdKind = keyof typeof idPrefixes;

let lastTime = -1;
const lastRandom = new Uint8Array(10);

function encodeTime(ms: number): string {
	let out = "";
	let rest = ms;
	for (let i = 0; i < 10; i++) {
		out = ALPHABET[rest % 32] + out;
		rest = Math.floor(rest / 32);
	}
	return out;
}

function encodeRandom(bytes: Uint8Array): string {
	// 80 bits → 16 base32 characters, 5 bits at a time.
	let out = "";
	let buffer = 0;
	let bits = 0;
	for (const byte of bytes) {
		buffer = (buffer << 8) | byte;
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out += ALPHABET[(buffer >> bits) & 31];
		}
	}
	return out;
}

function incrementRandom(bytes: Uint8Array): void {
	for (let i = bytes.length - 1; i >= 0; i--) {
		const next = (bytes[i] ?? 0) + 1;
		bytes[i] = next & 0xff;
		if (next <= 0xff) return;
	}
}

export function ulid(now: number = Date.now()): string {
	if (now <= lastTime) {
		incrementRandom(lastRandom);
	} else {
		lastTime = now;
		crypto.getRandomValues(lastRandom);
	}
	return encodeTime(lastTime) + encodeRandom(lastRandom);
}

export function newId(kind: IdKind): string {
	return `${idPrefixes[kind]}_${ulid()}`;
}
