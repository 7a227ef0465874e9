// Countries, the subdivisions the engine distinguishes, and tax areas: the territory inside which a
// sale is domestic for tax purposes (the EU VAT area is one; most countries are their own).

const ISO_3166_ALPHA2 = `AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ
FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT
JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP
MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE
RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV
TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XK`
	.split(/\s+/)
	.filter(Boolean);

const countries: ReadonlySet<string> = new Set(ISO_3166_ALPHA2);

export const isCountry = (code: string): boolean => countries.has(code);

/** The 27 member states, by ISO code (Greece is GR here; its VAT ids start with EL). */
export const EU_MEMBER_STATES: readonly string[] = `AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT
NL PL PT RO SE SI SK`
	.split(/\s+/)
	.filter(Boolean);

const euMembers: ReadonlySet<string> = new Set(EU_MEMBER_STATES);

export const isEuMember = (country: string): boolean => euMembers.has(country);

/**
 * Subdivisions (ISO 3166-2 codes without the country prefix) of the countries whose taxes depend on
 * them: US states (sales tax), Canadian provinces (HST, PST, QST), Indian states (CGST + SGST or IGST),
 * and Spain's territories outside the EU VAT area.
 */
export const SUBDIVISIONS: Readonly<Record<string, ReadonlySet<string>>> = {
	US: new Set(
		`AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR
PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR VI GU AS MP UM`.split(/\s+/),
	),
	CA: new Set("AB BC MB NB NL NS NT NU ON PE QC SK YT".split(" ")),
	IN: new Set(
		`AN AP AR AS BR CH CG CT DH DN DD DL GA GJ HR HP JK JH KA KL LA LD MP MH MN ML MZ NL OD OR PY PB RJ SK TN TS TG
TR UP UK UT WB`.split(/\s+/),
	),
	ES: new Set("AN AR AS CB CE CL CM CN CT EX GA IB MC MD ML NC PV RI VC".split(" ")),
};

/** Whether `region` is a subdivision the engine knows; countries without a list accept any region. */
export function isKnownRegion(country: string, region: string): boolean {
	const known = SUBDIVISIONS[country];
	return known === undefined || known.has(region);
}

/**
 * Spain's Canary Islands (IGIC), Ceuta and Melilla (IPSI) are outside the EU VAT area: they are found by
 * region, or by postal code (35xxx and 38xxx Canarias, 51xxx Ceuta, 52xxx Melilla) when no region is given.
 */
function spanishTerritory(region: string | null, postalCode: string | null): string | null {
	if (region === "CN" || region === "CE" || region === "ML") return region;
	if (region !== null || postalCode === null) return null;
	const prefix = postalCode.trim().slice(0, 2);
	if (prefix === "35" || prefix === "38") return "CN";
	if (prefix === "51") return "CE";
	if (prefix === "52") return "ML";
	return null;
}

export type Location = { country: string; region: string | null; postalCode: string | null };

/** Where a place is for tax: its tax area, and the region it is taxed as (Spanish territories found by postal code). */
export function taxLocation(location: Location): { area: string; region: string | null } {
	if (location.country === "ES") {
		const territory = spanishTerritory(location.region, location.postalCode);
		if (territory) return { area: `ES-${territory}`, region: territory };
	}
	return { area: isEuMember(location.country) ? "EU" : location.country, region: location.region };
}
