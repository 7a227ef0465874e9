// E-invoicing and tax-id requirements per country, as data with its sources. A mandate says who must
// do what (issue, receive or report structured e-invoices), from when, in which formats. Only rules
// whose dates are in force or fixed in law are listed; announced plans without a date are left out.
import { EU_MEMBER_STATES } from "./countries";
import { taxIdScheme, vatPrefixOf } from "./taxIds";

export const E_INVOICE_FORMATS = {
	en16931_ubl: "EN 16931 in UBL 2.1",
	en16931_cii: "EN 16931 in UN/CEFACT CII",
	peppol_bis_3: "Peppol BIS Billing 3.0",
	xrechnung: "XRechnung",
	zugferd: "ZUGFeRD 2.x / Factur-X (EN 16931 profiles)",
	fatturapa: "FatturaPA XML",
	facturae: "Facturae 3.2",
	ksef_fa3: "KSeF FA(3)",
	cius_ro: "RO e-Factura (CIUS-RO, UBL 2.1)",
	oioubl: "OIOUBL",
	ehf: "EHF (Peppol BIS)",
	finvoice: "Finvoice / TEAPPSXML",
	ebinterface: "ebInterface",
	hu_online_szamla: "NAV Online Számla XML (invoice data reporting)",
	in_einvoice: "GST e-invoice JSON (INV-01) via the IRP",
} as const;

export type EInvoiceFormat = keyof typeof E_INVOICE_FORMATS;

/** The e-invoice formats this service renders; each renderer in src/documents adds its own here. */
export const PRODUCED_FORMATS: readonly EInvoiceFormat[] = [];

export type Mandate = {
	scope: "B2G" | "B2B" | "B2C";
	obligation: "issue" | "receive" | "issue_and_receive" | "report";
	/** Who it binds, when not everyone in scope. */
	applies_to: string | null;
	since: string;
	formats: EInvoiceFormat[];
	channel: string | null;
	source: string;
};

export type CountryCompliance = {
	country: string;
	eu_member: boolean;
	vat_id_prefix: string | null;
	tax_id: { name: string; example: string; checksum: boolean } | null;
	mandates: Mandate[];
	produced_formats: EInvoiceFormat[];
};

/** As of this day the table was last checked against its sources. */
export const COMPLIANCE_AS_OF = "2025-09-30";

const EU_B2G: Mandate = {
	scope: "B2G",
	obligation: "receive",
	applies_to: "public contracting authorities (central government; sub-central ones by 2020-04-18)",
	since: "2019-04-18",
	formats: ["en16931_ubl", "en16931_cii"],
	channel: null,
	source: "Directive 2014/55/EU on electronic invoicing in public procurement, Art. 11",
};

const m = (
	mandate: Partial<Mandate> & Pick<Mandate, "scope" | "obligation" | "since" | "formats" | "source">,
): Mandate => ({
	applies_to: null,
	channel: null,
	...mandate,
});

const NATIONAL: Record<string, Mandate[]> = {
	AT: [
		m({
			scope: "B2G",
			obligation: "issue",
			since: "2014-01-01",
			formats: ["ebinterface", "peppol_bis_3"],
			channel: "e-Rechnung.gv.at",
			source: "IKT-Konsolidierungsgesetz § 5 (federal contracting authorities)",
		}),
	],
	BE: [
		m({
			scope: "B2B",
			obligation: "issue_and_receive",
			since: "2026-01-01",
			formats: ["peppol_bis_3"],
			channel: "Peppol",
			source: "Law of 6 February 2024 amending the VAT Code (structured e-invoicing)",
		}),
	],
	DE: [
		m({
			scope: "B2G",
			obligation: "issue",
			applies_to: "suppliers to federal authorities",
			since: "2020-11-27",
			formats: ["xrechnung", "peppol_bis_3"],
			channel: "ZRE / OZG-RE",
			source: "E-Rechnungsverordnung (ERechV) § 3",
		}),
		m({
			scope: "B2B",
			obligation: "receive",
			since: "2025-01-01",
			formats: ["xrechnung", "zugferd", "en16931_ubl", "en16931_cii"],
			source: "Wachstumschancengesetz of 27 March 2024, § 14 UStG; BMF letter of 15 October 2024",
		}),
		m({
			scope: "B2B",
			obligation: "issue",
			applies_to: "businesses with prior-year turnover above EUR 800 000",
			since: "2027-01-01",
			formats: ["xrechnung", "zugferd", "en16931_ubl", "en16931_cii"],
			source: "§ 27 (38) UStG (Wachstumschancengesetz)",
		}),
		m({
			scope: "B2B",
			obligation: "issue",
			applies_to: "all businesses",
			since: "2028-01-01",
			formats: ["xrechnung", "zugferd", "en16931_ubl", "en16931_cii"],
			source: "§ 27 (38) UStG (Wachstumschancengesetz)",
		}),
	],
	DK: [
		m({
			scope: "B2G",
			obligation: "issue",
			since: "2005-02-01",
			formats: ["oioubl", "peppol_bis_3"],
			channel: "NemHandel",
			source: "Danish Act on public payments (Lov om offentlige betalinger): e-invoicing to public authorities",
		}),
	],
	FI: [
		m({
			scope: "B2G",
			obligation: "issue",
			since: "2020-04-01",
			formats: ["finvoice", "peppol_bis_3"],
			source: "Act on Electronic Invoicing (241/2019)",
		}),
		m({
			scope: "B2B",
			obligation: "issue",
			applies_to: "on the buyer's request, sellers with turnover above EUR 10 000",
			since: "2020-04-01",
			formats: ["finvoice", "peppol_bis_3"],
			source: "Act on Electronic Invoicing (241/2019), § 4",
		}),
	],
	FR: [
		m({
			scope: "B2G",
			obligation: "issue",
			applies_to: "all suppliers (large companies since 2017-01-01)",
			since: "2020-01-01",
			formats: ["en16931_ubl", "en16931_cii", "zugferd"],
			channel: "Chorus Pro",
			source: "Ordonnance n° 2014-697 of 26 June 2014",
		}),
		...(
			[
				["receive", "all businesses", "2026-09-01"],
				["issue", "large and mid-size companies", "2026-09-01"],
				["issue", "small and micro companies", "2027-09-01"],
			] as const
		).map(([obligation, applies_to, since]) =>
			m({
				scope: "B2B",
				obligation,
				applies_to,
				since,
				formats: ["en16931_ubl", "en16931_cii", "zugferd"],
				channel: "accredited platforms (PA)",
				source: "Loi n° 2023-1322 de finances pour 2024, art. 91",
			}),
		),
	],
	HR: [
		m({
			scope: "B2G",
			obligation: "issue",
			since: "2019-07-01",
			formats: ["en16931_ubl", "peppol_bis_3"],
			channel: "Servis eRačun za državu (FINA)",
			source:
				"Act on electronic invoicing in public procurement (Zakon o elektroničkom izdavanju računa u javnoj nabavi, 2018)",
		}),
		m({
			scope: "B2B",
			obligation: "issue_and_receive",
			applies_to: "VAT-registered businesses established in Croatia, for domestic supplies",
			since: "2026-01-01",
			formats: ["en16931_ubl", "en16931_cii"],
			source: "Fiscalization Act (Zakon o fiskalizaciji) of 11 June 2025, Fiskalizacija 2.0",
		}),
	],
	HU: [
		m({
			scope: "B2B",
			obligation: "report",
			applies_to: "every invoice to a domestic taxpayer (B2C too since 2021-01-01)",
			since: "2018-07-01",
			formats: ["hu_online_szamla"],
			channel: "NAV Online Számla",
			source: "Decree 23/2014 (VI. 30.) NGM on invoice data reporting",
		}),
	],
	IT: [
		m({
			scope: "B2G",
			obligation: "issue",
			since: "2015-03-31",
			formats: ["fatturapa"],
			channel: "Sistema di Interscambio (SdI)",
			source: "DM 55/2013; Law 244/2007 art. 1 c. 209",
		}),
		m({
			scope: "B2B",
			obligation: "issue_and_receive",
			since: "2019-01-01",
			formats: ["fatturapa"],
			channel: "Sistema di Interscambio (SdI)",
			source: "Law 205/2017 (Budget Law 2018), art. 1 c. 909",
		}),
	],
	PL: (
		[
			["receive", "all taxpayers", "2026-02-01"],
			["issue", "taxpayers with 2024 sales above PLN 200 million", "2026-02-01"],
			["issue", "all other taxpayers (until 2026-12-31 not for up to PLN 10 000 of sales a month)", "2026-04-01"],
		] as const
	).map(([obligation, applies_to, since]) =>
		m({
			scope: "B2B",
			obligation,
			applies_to,
			since,
			formats: ["ksef_fa3"],
			channel: "KSeF",
			source: "Polish VAT Act (Ustawa o podatku od towarów i usług), art. 106ga and 145m (KSeF), as amended in 2025",
		}),
	),
	RO: [
		m({
			scope: "B2B",
			obligation: "issue",
			since: "2024-01-01",
			formats: ["cius_ro"],
			channel: "RO e-Factura (SPV)",
			source: "Law 296/2023; Emergency Ordinance 120/2021",
		}),
		m({
			scope: "B2C",
			obligation: "report",
			since: "2025-01-01",
			formats: ["cius_ro"],
			channel: "RO e-Factura (SPV)",
			source: "ANAF, RO e-Factura reporting of B2C invoices",
		}),
	],
	SE: [
		m({
			scope: "B2G",
			obligation: "issue",
			since: "2019-04-01",
			formats: ["peppol_bis_3"],
			channel: "Peppol",
			source: "Lag (2018:1277) om elektroniska fakturor till följd av offentlig upphandling",
		}),
	],
	ES: [
		m({
			scope: "B2G",
			obligation: "issue",
			since: "2015-01-15",
			formats: ["facturae"],
			channel: "FACe",
			source: "Ley 25/2013 de impulso de la factura electrónica",
		}),
	],
	NO: [
		m({
			scope: "B2G",
			obligation: "issue",
			since: "2019-04-01",
			formats: ["ehf", "peppol_bis_3"],
			channel: "Peppol",
			source: "Forskrift om elektronisk faktura i offentlige anskaffelser",
		}),
	],
	CH: [
		m({
			scope: "B2G",
			obligation: "issue",
			applies_to: "contracts with the federal administration above CHF 5 000",
			since: "2016-01-01",
			formats: ["en16931_ubl"],
			source: "Federal Finance Administration (EFV): e-invoices for federal contracts above CHF 5 000",
		}),
	],
	IN: [
		m({
			scope: "B2B",
			obligation: "report",
			applies_to: "aggregate turnover above INR 500 crore (INR 5 crore since 2023-08-01)",
			since: "2020-10-01",
			formats: ["in_einvoice"],
			channel: "Invoice Registration Portal (IRN)",
			source: "CBIC Notification 13/2020-Central Tax; 10/2023-Central Tax",
		}),
	],
};

const COVERED = [...EU_MEMBER_STATES, "GB", "CH", "NO", "AU", "NZ", "JP", "SG", "IN", "CA", "US"];

function countryCompliance(country: string): CountryCompliance {
	const eu = EU_MEMBER_STATES.includes(country);
	const mandates = [...(eu ? [EU_B2G] : []), ...(NATIONAL[country] ?? [])];
	const accepted = new Set(mandates.flatMap((mandate) => mandate.formats));
	return {
		country,
		eu_member: eu,
		vat_id_prefix: eu ? vatPrefixOf(country) : null,
		tax_id: taxIdScheme(country),
		mandates,
		produced_formats: PRODUCED_FORMATS.filter((format) => accepted.has(format)),
	};
}

export const complianceCountries = (): CountryCompliance[] => COVERED.map(countryCompliance);
