// ISO 4217 currencies and their minor-unit exponents. Money is always an integer count of minor
// units; the exponent says how many of them make one major unit (JPY 0, EUR 2, KWD 3).

import { parseDecimal, pow10 } from "./decimal";

const ACTIVE_CODES = `AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN
BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP
GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD
KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD
OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL
THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER
ZAR ZMW ZWG`
	.split(/\s+/)
	.filter(Boolean);

const EXPONENT_EXCEPTIONS: Record<string, number> = {
	BIF: 0,
	CLP: 0,
	DJF: 0,
	GNF: 0,
	ISK: 0,
	JPY: 0,
	KMF: 0,
	KRW: 0,
	PYG: 0,
	RWF: 0,
	UGX: 0,
	UYI: 0,
	VND: 0,
	VUV: 0,
	XAF: 0,
	XOF: 0,
	XPF: 0,
	BHD: 3,
	IQD: 3,
	JOD: 3,
	KWD: 3,
	LYD: 3,
	OMR: 3,
	TND: 3,
	CLF: 4,
	UYW: 4,
};

const currencies: ReadonlySet<string> = new Set(ACTIVE_CODES);

export const isCurrency = (code: string): boolean => currencies.has(code);

export function currencyExponent(code: string): number {
	if (!isCurrency(code)) throw new RangeError(`Unknown currency ${code}`);
	return EXPONENT_EXCEPTIONS[code] ?? 2;
}

/** `123456` EUR → `"1234.56"`; integer arithmetic only, so no value ever passes through a float. */
export function formatMinorUnits(amount: number, code: string): string {
	if (!Number.isSafeInteger(amount)) throw new RangeError(`Amount ${amount} is not a safe integer`);
	const exponent = currencyExponent(code);
	const sign = amount < 0 ? "-" : "";
	const digits = String(Math.abs(amount)).padStart(exponent + 1, "0");
	if (exponent === 0) return sign + digits;
	return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/**
 * A decimal amount (`"12.50"`, `12.5`) as minor units of `code`: null when it has more decimal places
 * than the currency has, or exceeds the largest exact integer.
 */
export function parseMinorUnits(value: string | number, code: string): number | null {
	const exponent = currencyExponent(code);
	const parsed = parseDecimal(value, exponent);
	if (!parsed) return null;
	const units = parsed.units * pow10(exponent - parsed.scale);
	return units <= BigInt(Number.MAX_SAFE_INTEGER) && units >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(units) : null;
}
