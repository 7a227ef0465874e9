// Tax identification numbers: the format, and the check digits where the issuing country defines
// them. Pure: whether an id is *registered* is a question for an online register (VIES and others),
// asked through a TaxIdLookup when a tenant configures one; nothing here calls the network.
import { EU_MEMBER_STATES } from "./countries";

export type TaxIdCheck =
	| { valid: true; normalized: string; country: string; scheme: string }
	| { valid: false; reason: string };

type Scheme = {
	name: string;
	/** The id without separators, as it is validated and stored (EU VAT ids keep their prefix). */
	pattern: RegExp;
	/** Check digits; omitted where the issuing country publishes none we apply. */
	checksum?: (body: string) => boolean;
	example: string;
};

const digits = (text: string) => [...text].map(Number);
const weighted = (values: number[], weights: number[]) =>
	weights.reduce((sum, weight, i) => sum + weight * (values[i] as number), 0);

function luhn(text: string): boolean {
	let sum = 0;
	for (const [i, digit] of digits(text).reverse().entries()) {
		const doubled = i % 2 === 1 ? digit * 2 : digit;
		sum += doubled > 9 ? doubled - 9 : doubled;
	}
	return sum % 10 === 0;
}

/** ISO 7064 MOD 11,10: Germany's USt-IdNr. and Croatia's OIB. */
function mod11_10(text: string): boolean {
	let product = 10;
	for (const digit of digits(text.slice(0, -1))) {
		let sum = (digit + product) % 10;
		if (sum === 0) sum = 10;
		product = (2 * sum) % 11;
	}
	return (11 - product) % 10 === Number(text.at(-1));
}

/** Σ weights × digits mod 11, then 11 − remainder (11 → 0, 10 → invalid): CH, NO, PT, SI and others. */
function mod11Complement(text: string, weights: number[]): boolean {
	const check = 11 - (weighted(digits(text), weights) % 11);
	const expected = check === 11 ? 0 : check;
	return expected !== 10 && expected === Number(text[weights.length]);
}

/** The remainder of a long decimal string modulo `m`, without leaving safe integers. */
function modOf(numeric: string, m: number): number {
	let rest = 0;
	for (const ch of numeric) rest = (rest * 10 + Number(ch)) % m;
	return rest;
}

const ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

const EU_SCHEMES: Record<string, Scheme> = {
	AT: {
		name: "UID",
		pattern: /^ATU\d{8}$/,
		checksum: (id) => {
			const d = digits(id.slice(3));
			const sum = [0, 1, 2, 3, 4, 5, 6].reduce((s, i) => {
				const product = (d[i] as number) * (i % 2 === 0 ? 1 : 2);
				return s + Math.floor(product / 10) + (product % 10);
			}, 0);
			return (10 - ((sum + 4) % 10)) % 10 === d[7];
		},
		example: "ATU13585627",
	},
	BE: {
		name: "BTW/TVA",
		pattern: /^BE[01]\d{9}$/,
		checksum: (id) => 97 - (Number(id.slice(2, 10)) % 97) === Number(id.slice(10)),
		example: "BE0403170701",
	},
	BG: { name: "ДДС номер", pattern: /^BG\d{9,10}$/, example: "BG175074752" },
	CY: { name: "ΦΠΑ", pattern: /^CY[0-59]\d{7}[A-Z]$/, example: "CY10259033P" },
	CZ: { name: "DIČ", pattern: /^CZ\d{8,10}$/, example: "CZ25123891" },
	DE: { name: "USt-IdNr.", pattern: /^DE[1-9]\d{8}$/, checksum: (id) => mod11_10(id.slice(2)), example: "DE136695976" },
	DK: {
		name: "CVR",
		pattern: /^DK[1-9]\d{7}$/,
		checksum: (id) => weighted(digits(id.slice(2)), [2, 7, 6, 5, 4, 3, 2, 1]) % 11 === 0,
		example: "DK13585628",
	},
	EE: {
		name: "KMKR",
		pattern: /^EE\d{9}$/,
		checksum: (id) => (10 - (weighted(digits(id.slice(2)), [3, 7, 1, 3, 7, 1, 3, 7]) % 10)) % 10 === Number(id[10]),
		example: "EE100931558",
	},
	ES: { name: "NIF", pattern: /^ES[A-Z0-9]\d{7}[A-Z0-9]$/, example: "ESA13585625" },
	FI: {
		name: "ALV nro",
		pattern: /^FI\d{8}$/,
		checksum: (id) => mod11Complement(id.slice(2), [7, 9, 10, 5, 8, 4, 2]),
		example: "FI20774740",
	},
	FR: {
		name: "n° TVA",
		pattern: /^FR[0-9A-HJ-NP-Z]{2}\d{9}$/,
		// The last 9 digits are the SIREN (Luhn; Monaco's start 000); a numeric key is (12 + 3 × SIREN) mod 97.
		checksum: (id) =>
			(id.startsWith("000", 4) || luhn(id.slice(4))) &&
			(!/^\d{2}$/.test(id.slice(2, 4)) || (12 + 3 * (Number(id.slice(4)) % 97)) % 97 === Number(id.slice(2, 4))),
		example: "FR40303265045",
	},
	GR: {
		name: "ΑΦΜ",
		pattern: /^EL\d{9}$/,
		checksum: (id) => (weighted(digits(id.slice(2)), [256, 128, 64, 32, 16, 8, 4, 2]) % 11) % 10 === Number(id[10]),
		example: "EL094259216",
	},
	HR: { name: "OIB", pattern: /^HR\d{11}$/, checksum: (id) => mod11_10(id.slice(2)), example: "HR33392005961" },
	HU: {
		name: "ANUM",
		pattern: /^HU\d{8}$/,
		checksum: (id) => (10 - (weighted(digits(id.slice(2)), [9, 7, 3, 1, 9, 7, 3]) % 10)) % 10 === Number(id[9]),
		example: "HU12892312",
	},
	IE: { name: "VAT no", pattern: /^IE(?:\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W])$/, example: "IE6433435F" },
	IT: {
		name: "Partita IVA",
		pattern: /^IT\d{11}$/,
		// Digits 8–10 are the issuing office: 001–100, 120, 121, 888 or 999.
		checksum: (id) => {
			const office = Number(id.slice(9, 12));
			const officeKnown = (office >= 1 && office <= 100) || [120, 121, 888, 999].includes(office);
			return officeKnown && !id.startsWith("IT0000000") && luhn(id.slice(2));
		},
		example: "IT00743110157",
	},
	LT: { name: "PVM kodas", pattern: /^LT(?:\d{9}|\d{12})$/, example: "LT119511515" },
	LU: {
		name: "TVA",
		pattern: /^LU\d{8}$/,
		checksum: (id) => Number(id.slice(2, 8)) % 89 === Number(id.slice(8)),
		example: "LU15027442",
	},
	LV: { name: "PVN", pattern: /^LV\d{11}$/, example: "LV40003521600" },
	MT: {
		name: "VAT no",
		pattern: /^MT[1-9]\d{7}$/,
		checksum: (id) => (weighted(digits(id.slice(2)), [3, 4, 6, 7, 8, 9]) + Number(id.slice(8))) % 37 === 0,
		example: "MT11679112",
	},
	NL: {
		name: "btw-id",
		pattern: /^NL\d{9}B(?!00)\d{2}$/,
		// Legal entities: the 11-test on the 9 digits; sole proprietors (since 2020): ISO 7064 mod 97 over the whole id.
		checksum: (id) =>
			weighted(digits(id.slice(2, 11)), [9, 8, 7, 6, 5, 4, 3, 2, -1]) % 11 === 0 ||
			modOf([...id].map((ch) => ALNUM.indexOf(ch)).join(""), 97) === 1,
		example: "NL004495445B01",
	},
	PL: {
		name: "NIP",
		pattern: /^PL\d{10}$/,
		checksum: (id) => weighted(digits(id.slice(2)), [6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11 === Number(id[11]),
		example: "PL8567346215",
	},
	PT: {
		name: "NIF",
		pattern: /^PT[1-9]\d{8}$/,
		checksum: (id) => {
			const check = 11 - (weighted(digits(id.slice(2)), [9, 8, 7, 6, 5, 4, 3, 2]) % 11);
			return (check > 9 ? 0 : check) === Number(id[10]);
		},
		example: "PT501964843",
	},
	RO: {
		name: "CIF",
		pattern: /^RO[1-9]\d{1,9}$/,
		checksum: (id) => {
			const body = id.slice(2).padStart(10, "0");
			return ((weighted(digits(body), [7, 5, 3, 2, 1, 7, 5, 3, 2]) * 10) % 11) % 10 === Number(body[9]);
		},
		example: "RO18547290",
	},
	SE: { name: "Momsnr", pattern: /^SE\d{10}01$/, checksum: (id) => luhn(id.slice(2, 12)), example: "SE123456789701" },
	SI: {
		name: "ID za DDV",
		pattern: /^SI[1-9]\d{7}$/,
		// Unlike the other mod-11 schemes, a remainder giving 10 is check digit 0 and 11 is invalid.
		checksum: (id) => {
			const check = 11 - (weighted(digits(id.slice(2)), [8, 7, 6, 5, 4, 3, 2]) % 11);
			return check !== 11 && check % 10 === Number(id[9]);
		},
		example: "SI50223054",
	},
	SK: {
		name: "IČ DPH",
		pattern: /^SK[1-9]\d[234789]\d{7}$/,
		checksum: (id) => modOf(id.slice(2), 11) === 0,
		example: "SK2022749619",
	},
};

/** The VAT id prefix of a member state: its ISO code, except Greece (EL). */
export const vatPrefixOf = (country: string) => (country === "GR" ? "EL" : country);

const OTHER_SCHEMES: Record<string, Scheme> = {
	GB: {
		name: "VAT registration number",
		pattern: /^GB(?:\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2})$/,
		checksum: (id) => {
			if (!/^GB\d/.test(id)) return true;
			// Numbers from 100 0000 00 on may also use HMRC's newer scheme (remainder 42 or 55).
			const remainder = (weighted(digits(id.slice(2, 9)), [8, 7, 6, 5, 4, 3, 2]) + Number(id.slice(9, 11))) % 97;
			return remainder === 0 || (Number(id.slice(2, 5)) >= 100 && (remainder === 42 || remainder === 55));
		},
		example: "GB980780684",
	},
	CH: {
		name: "UID (MWST/TVA/IVA)",
		pattern: /^CHE\d{9}(?:MWST|TVA|IVA)?$/,
		checksum: (id) => mod11Complement(id.slice(3, 12), [5, 4, 3, 2, 7, 6, 5, 4]),
		example: "CHE107787577MWST",
	},
	NO: {
		name: "Organisasjonsnummer MVA",
		pattern: /^NO\d{9}MVA$/,
		checksum: (id) => mod11Complement(id.slice(2, 11), [3, 2, 7, 6, 5, 4, 3, 2]),
		example: "NO995525828MVA",
	},
	AU: {
		name: "ABN",
		pattern: /^[1-9]\d{10}$/,
		checksum: (id) => {
			const d = digits(id);
			d[0] = (d[0] as number) - 1;
			return weighted(d, [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19]) % 89 === 0;
		},
		example: "83914571673",
	},
	IN: {
		name: "GSTIN",
		// State code 01–38, or 97 (other territory).
		pattern: /^(?:0[1-9]|[12]\d|3[0-8]|97)[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/,
		checksum: (id) => {
			let sum = 0;
			for (const [i, ch] of [...id.slice(0, 14)].entries()) {
				const product = ALNUM.indexOf(ch) * (i % 2 === 0 ? 1 : 2);
				sum += Math.floor(product / 36) + (product % 36);
			}
			return ALNUM[(36 - (sum % 36)) % 36] === id[14];
		},
		example: "27AAPFU0939F1ZV",
	},
};

const SCHEMES: Record<string, Scheme> = { ...EU_SCHEMES, ...OTHER_SCHEMES };

/** Whether this service knows the country's tax id format (others are accepted as sent). */
export const hasTaxIdScheme = (country: string) => Object.hasOwn(SCHEMES, country);

export function taxIdScheme(country: string): { name: string; example: string; checksum: boolean } | null {
	const scheme = SCHEMES[country];
	return scheme ? { name: scheme.name, example: scheme.example, checksum: scheme.checksum !== undefined } : null;
}

/** Upper case, without spaces, dots, dashes and slashes; a Norwegian or Swiss id gains its prefix when sent without. */
function canonical(country: string, raw: string): string {
	const text = raw.toUpperCase().replace(/[\s.\-/]/g, "");
	if (country === "NO" && /^\d{9}MVA$/.test(text)) return `NO${text}`;
	if (country === "GR" && /^\d{9}$/.test(text)) return `EL${text}`;
	if (EU_MEMBER_STATES.includes(country) && /^\d/.test(text)) return `${vatPrefixOf(country)}${text}`;
	return text;
}

/** Validates a tax id issued by `country`; a country without a known scheme accepts any 1–64 visible characters. */
export function checkTaxId(country: string, raw: string): TaxIdCheck {
	const normalized = canonical(country, raw);
	const scheme = SCHEMES[country];
	if (!scheme) {
		return /^[A-Z0-9]{1,64}$/.test(normalized)
			? { valid: true, normalized, country, scheme: "unverified" }
			: { valid: false, reason: "may hold only letters and digits" };
	}
	if (!scheme.pattern.test(normalized)) {
		return { valid: false, reason: `is not a ${country} ${scheme.name} (for example ${scheme.example})` };
	}
	if (scheme.checksum && !scheme.checksum(normalized)) {
		return { valid: false, reason: `has a wrong check digit for a ${country} ${scheme.name}` };
	}
	return { valid: true, normalized, country, scheme: scheme.name };
}

/**
 * An online register of tax ids (the EU's VIES, HMRC's VAT check, ABN Lookup). The engine never calls one
 * itself: a service that has a configured lookup asks it after `checkTaxId` accepted the id's form.
 */
export interface TaxIdLookup {
	lookup(input: { country: string; taxId: string }): Promise<TaxIdLookupResult>;
}

export type TaxIdLookupResult =
	| { status: "valid"; name: string | null; address: string | null; checkedAt: string; reference: string | null }
	| { status: "invalid"; checkedAt: string }
	| { status: "unavailable"; reason: string };
