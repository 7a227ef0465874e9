// The built-in rate table: every rate with the day it starts (`valid_from`) and, where it has been
// replaced, its last day (`valid_to`, inclusive). The table starts on TABLE_START; a supply before it
// has no built-in rate (tenants add their own with POST /v1/billing/tax/rates).
//
// Tax codes: `standard`; `reduced` (the country's main reduced rate); `reduced_2` (its second one);
// `super_reduced` (below 5 %, EU Art. 98/110); `parking` (LU 14 %). `zero`, `exempt` and
// `digital_services` (electronically supplied services, taxed at the standard rate of their place of
// supply) need no row here. India's slabs that are neither standard nor reduced are `gst_28`, `gst_40`.
import type { TaxCategory } from "./categories";

export const TABLE_START = "2024-01-01";

export type RateSource = { id: string; title: string; as_of: string };

/** Where each row comes from; `as_of` is the day whose rates the source states (the newest change it cites). */
export const RATE_SOURCES: readonly RateSource[] = [
	{
		id: "ec-vat-rates-2025",
		title:
			"European Commission, DG TAXUD, 'VAT rates applied in the Member States of the European Union', situation at 1 January 2025 (taxation-customs.ec.europa.eu)",
		as_of: "2025-01-01",
	},
	{
		id: "fi-vat-2024",
		title: "Finnish Tax Administration (vero.fi): general VAT rate 25.5 % from 1 September 2024 (Act 2024/396)",
		as_of: "2024-09-01",
	},
	{
		id: "fi-vat-2026",
		title:
			"Finnish Tax Administration (vero.fi): reduced rate 14 % lowered to 13.5 % from 1 January 2026 (VAT Act 1501/1993 § 85, 2026 state budget)",
		as_of: "2026-01-01",
	},
	{
		id: "sk-vat-2025",
		title: "Slovakia, Act No. 278/2024 Coll.: VAT 23 %, reduced 19 % and 5 % from 1 January 2025",
		as_of: "2025-01-01",
	},
	{
		id: "ee-vat-2025",
		title:
			"Estonia, Value-Added Tax Act amendments (Riigi Teataja): accommodation 13 % and press 9 % from 1 January 2025, standard 24 % from 1 July 2025",
		as_of: "2025-07-01",
	},
	{
		id: "ro-vat-2025",
		title: "Romania, Law No. 141/2025: VAT 21 %, one reduced rate of 11 % from 1 August 2025",
		as_of: "2025-08-01",
	},
	{
		id: "gb-hmrc",
		title: "HMRC, 'VAT rates' (gov.uk/guidance/rates-of-vat-on-different-goods-and-services)",
		as_of: "2024-01-01",
	},
	{
		id: "ch-estv-2024",
		title: "Swiss FTA (ESTV), VAT rates from 1 January 2024: 8.1 %, 2.6 %, 3.8 %",
		as_of: "2024-01-01",
	},
	{
		id: "no-skatteetaten",
		title: "Skatteetaten, 'Merverdiavgift – satser' (25 %, 15 %, 12 %)",
		as_of: "2024-01-01",
	},
	{
		id: "au-ato",
		title: "Australian Taxation Office, GST (A New Tax System (Goods and Services Tax) Act 1999): 10 %",
		as_of: "2024-01-01",
	},
	{ id: "nz-ird", title: "Inland Revenue NZ, GST: 15 % (since 1 October 2010)", as_of: "2024-01-01" },
	{
		id: "jp-nta",
		title: "National Tax Agency Japan, consumption tax 10 %, reduced 8 % (since 1 October 2019)",
		as_of: "2024-01-01",
	},
	{ id: "sg-iras-2024", title: "IRAS, GST rate 9 % from 1 January 2024", as_of: "2024-01-01" },
	{
		id: "in-gst-council-56",
		title:
			"India, GST Council 56th meeting (3 September 2025), CGST rate notifications of September 2025: slabs 5 % and 18 % and 40 % for luxury and demerit goods from 22 September 2025; the 12 % slab withdrawn; 28 % kept for tobacco products",
		as_of: "2025-09-22",
	},
	{
		id: "ca-cra",
		title:
			"Canada Revenue Agency, 'GST/HST rates' (canada.ca): GST 5 %, HST 13 % ON, 15 % NB NL PE, NS 15 % → 14 % on 1 April 2025; provincial PST BC 7 %, MB 7 %, SK 6 %, Revenu Québec QST 9.975 %",
		as_of: "2025-04-01",
	},
	{
		id: "es-igic",
		title: "Gobierno de Canarias, IGIC: general 7 %, reduced 3 % (Ley 4/2012)",
		as_of: "2024-01-01",
	},
];

export type BuiltInRate = {
	country: string;
	region: string | null;
	taxCode: string;
	jurisdiction: string;
	name: string;
	rate: string;
	category: TaxCategory;
	/** `replace`: this regional rate replaces the country's rate of the same code (HST, IGIC); `add`: it is charged on top (PST). */
	stacking: "add" | "replace";
	validFrom: string;
	validTo: string | null;
	source: string;
};

type Row = [code: string, rate: string, validFrom?: string, validTo?: string];

function vat(country: string, source: string, rows: Row[], name = "VAT"): BuiltInRate[] {
	return rows.map(([taxCode, rate, validFrom = TABLE_START, validTo = null]) => ({
		country,
		region: null,
		taxCode,
		jurisdiction: country,
		name,
		rate,
		category: "S",
		stacking: "add",
		validFrom,
		validTo,
		source,
	}));
}

function regional(
	country: string,
	region: string,
	options: { jurisdiction: string; name: string; stacking: "add" | "replace"; category?: TaxCategory; source: string },
	rows: Row[],
): BuiltInRate[] {
	return vat(country, options.source, rows, options.name).map((rate) => ({
		...rate,
		region,
		jurisdiction: options.jurisdiction,
		stacking: options.stacking,
		category: options.category ?? "S",
	}));
}

const EC = "ec-vat-rates-2025";

const EU_RATES: BuiltInRate[] = [
	...vat("AT", EC, [
		["standard", "20"],
		["reduced", "10"],
		["reduced_2", "13"],
	]),
	...vat("BE", EC, [
		["standard", "21"],
		["reduced", "6"],
		["reduced_2", "12"],
	]),
	...vat("BG", EC, [
		["standard", "20"],
		["reduced", "9"],
	]),
	...vat("CY", EC, [
		["standard", "19"],
		["reduced", "9"],
		["reduced_2", "5"],
	]),
	...vat("CZ", EC, [
		["standard", "21"],
		["reduced", "12"],
	]),
	...vat("DE", EC, [
		["standard", "19"],
		["reduced", "7"],
	]),
	...vat("DK", EC, [["standard", "25"]]),
	...vat("EE", "ee-vat-2025", [
		["standard", "22", TABLE_START, "2025-06-30"],
		["standard", "24", "2025-07-01"],
		["reduced", "9"],
		["reduced_2", "5", TABLE_START, "2024-12-31"],
		["reduced_2", "13", "2025-01-01"],
	]),
	...vat("ES", EC, [
		["standard", "21"],
		["reduced", "10"],
		["super_reduced", "4"],
	]),
	...vat("FI", "fi-vat-2024", [
		["standard", "24", TABLE_START, "2024-08-31"],
		["standard", "25.5", "2024-09-01"],
		["reduced_2", "10"],
	]),
	...vat("FI", "fi-vat-2026", [
		["reduced", "14", TABLE_START, "2025-12-31"],
		["reduced", "13.5", "2026-01-01"],
	]),
	...vat("FR", EC, [
		["standard", "20"],
		["reduced", "10"],
		["reduced_2", "5.5"],
		["super_reduced", "2.1"],
	]),
	...vat("GR", EC, [
		["standard", "24"],
		["reduced", "13"],
		["reduced_2", "6"],
	]),
	...vat("HR", EC, [
		["standard", "25"],
		["reduced", "13"],
		["reduced_2", "5"],
	]),
	...vat("HU", EC, [
		["standard", "27"],
		["reduced", "18"],
		["reduced_2", "5"],
	]),
	...vat("IE", EC, [
		["standard", "23"],
		["reduced", "13.5"],
		["reduced_2", "9"],
		["super_reduced", "4.8"],
	]),
	...vat("IT", EC, [
		["standard", "22"],
		["reduced", "10"],
		["reduced_2", "5"],
		["super_reduced", "4"],
	]),
	...vat("LT", EC, [
		["standard", "21"],
		["reduced", "9"],
		["reduced_2", "5"],
	]),
	...vat("LU", EC, [
		["standard", "17"],
		["reduced", "8"],
		["super_reduced", "3"],
		["parking", "14"],
	]),
	...vat("LV", EC, [
		["standard", "21"],
		["reduced", "12"],
		["reduced_2", "5"],
	]),
	...vat("MT", EC, [
		["standard", "18"],
		["reduced", "7"],
		["reduced_2", "5"],
	]),
	...vat("NL", EC, [
		["standard", "21"],
		["reduced", "9"],
	]),
	...vat("PL", EC, [
		["standard", "23"],
		["reduced", "8"],
		["reduced_2", "5"],
	]),
	...vat("PT", EC, [
		["standard", "23"],
		["reduced", "13"],
		["reduced_2", "6"],
	]),
	...vat("RO", "ro-vat-2025", [
		["standard", "19", TABLE_START, "2025-07-31"],
		["standard", "21", "2025-08-01"],
		["reduced", "9", TABLE_START, "2025-07-31"],
		["reduced", "11", "2025-08-01"],
		["reduced_2", "5", TABLE_START, "2025-07-31"],
	]),
	...vat("SE", EC, [
		["standard", "25"],
		["reduced", "12"],
		["reduced_2", "6"],
	]),
	...vat("SI", EC, [
		["standard", "22"],
		["reduced", "9.5"],
		["reduced_2", "5"],
	]),
	...vat("SK", "sk-vat-2025", [
		["standard", "20", TABLE_START, "2024-12-31"],
		["standard", "23", "2025-01-01"],
		["reduced", "10", TABLE_START, "2024-12-31"],
		["reduced", "19", "2025-01-01"],
		["reduced_2", "5"],
	]),
];

const CANADA: BuiltInRate[] = [
	...vat("CA", "ca-cra", [["standard", "5"]], "GST"),
	...(["ON", "NB", "NL", "NS", "PE"] as const).flatMap((province) =>
		regional(
			"CA",
			province,
			{ jurisdiction: "CA", name: "HST", stacking: "replace", source: "ca-cra" },
			province === "ON"
				? [["standard", "13"]]
				: province === "NS"
					? [
							["standard", "15", TABLE_START, "2025-03-31"],
							["standard", "14", "2025-04-01"],
						]
					: [["standard", "15"]],
		),
	),
	...regional("CA", "BC", { jurisdiction: "CA-BC", name: "PST", stacking: "add", source: "ca-cra" }, [
		["standard", "7"],
	]),
	...regional("CA", "MB", { jurisdiction: "CA-MB", name: "RST", stacking: "add", source: "ca-cra" }, [
		["standard", "7"],
	]),
	...regional("CA", "SK", { jurisdiction: "CA-SK", name: "PST", stacking: "add", source: "ca-cra" }, [
		["standard", "6"],
	]),
	...regional("CA", "QC", { jurisdiction: "CA-QC", name: "QST", stacking: "add", source: "ca-cra" }, [
		["standard", "9.975"],
	]),
];

export const BUILT_IN_RATES: readonly BuiltInRate[] = [
	...EU_RATES,
	...regional(
		"ES",
		"CN",
		{ jurisdiction: "ES-CN", name: "IGIC", stacking: "replace", category: "L", source: "es-igic" },
		[
			["standard", "7"],
			["reduced", "3"],
		],
	),
	...vat("GB", "gb-hmrc", [
		["standard", "20"],
		["reduced", "5"],
	]),
	...vat(
		"CH",
		"ch-estv-2024",
		[
			["standard", "8.1"],
			["reduced", "2.6"],
			["reduced_2", "3.8"],
		],
		"MWST",
	),
	...vat(
		"NO",
		"no-skatteetaten",
		[
			["standard", "25"],
			["reduced", "15"],
			["reduced_2", "12"],
		],
		"MVA",
	),
	...vat("AU", "au-ato", [["standard", "10"]], "GST"),
	...vat("NZ", "nz-ird", [["standard", "15"]], "GST"),
	...vat(
		"JP",
		"jp-nta",
		[
			["standard", "10"],
			["reduced", "8"],
		],
		"JCT",
	),
	...vat("SG", "sg-iras-2024", [["standard", "9"]], "GST"),
	...vat(
		"IN",
		"in-gst-council-56",
		[
			["standard", "18"],
			["reduced", "5"],
			["super_reduced", "3"],
			["reduced_2", "12", TABLE_START, "2025-09-21"],
			["gst_28", "28"],
			["gst_40", "40", "2025-09-22"],
		],
		"GST",
	),
	...CANADA,
];
