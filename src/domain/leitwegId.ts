// The Leitweg-ID routes an e-invoice to a German public authority (XRechnung BT-10): a coarse address of
// 2 to 12 digits, an optional fine address of up to 30 letters and digits, and two check digits computed
// with ISO 7064 MOD 97-10 over the rest (letters count as 10…35), as KoSIT specifies it.
const LEITWEG_ID = /^([0-9]{2,12})(?:-([0-9A-Z]{1,30}))?-([0-9]{2})$/;

/** The check digits of a Leitweg-ID's coarse and fine address written together. */
export function leitwegCheckDigits(address: string): string {
	const digits = [...address].map((c) => (c >= "0" && c <= "9" ? c : String(c.charCodeAt(0) - 55))).join("");
	let remainder = 0;
	for (const digit of `${digits}00`) remainder = (remainder * 10 + Number(digit)) % 97;
	return String(98 - remainder).padStart(2, "0");
}

/** Whether `value` is a well-formed Leitweg-ID whose check digits hold. */
export function isLeitwegId(value: string): boolean {
	const match = LEITWEG_ID.exec(value);
	if (!match) return false;
	const [, coarse, fine = "", check] = match;
	return leitwegCheckDigits(`${coarse}${fine}`) === check;
}
