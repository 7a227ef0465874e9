// The invoices every syntax is rendered from in CI: each exercises a VAT situation or a currency the
// renderers must get right. Amounts are what an invoice computed them to be; the rule checks verify
// that they add up (BR-CO-*), so a wrong figure here fails loudly.

import type { BuyerParty, EInvoice, SellerParty } from "../../src/documents/einvoice/model";
import { type Decimal, parseDecimal } from "../../src/domain/decimal";

export function dec(text: string): Decimal {
	const value = parseDecimal(text, 10);
	if (!value) throw new Error(`not a decimal: ${text}`);
	return value;
}

export const seller: SellerParty = {
	name: "Muster Software GmbH",
	tradingName: "Muster Cloud",
	legalRegistrationId: { value: "HRB 123456 B" },
	vatId: "DE123456789",
	taxRegistrationId: "201/113/40209",
	additionalLegalInformation: "Amtsgericht Berlin-Charlottenburg HRB 123456 B",
	electronicAddress: { scheme: "9930", value: "DE123456789" },
	address: { line1: "Friedrichstraße 100", city: "Berlin", postalCode: "10117", countryCode: "DE" },
	contact: { name: "Erika Mustermann", telephone: "+49 30 1234567", email: "billing@muster.example" },
};

const germanAuthority: BuyerParty = {
	name: "Bezirksamt Mitte von Berlin",
	electronicAddress: { scheme: "0204", value: "11-0100000001-28" },
	address: { line1: "Karl-Marx-Allee 31", city: "Berlin", postalCode: "10178", countryCode: "DE" },
	contact: { name: "Beschaffung", email: "einkauf@ba-mitte.example" },
};

const frenchBuyer: BuyerParty = {
	name: "Société Exemple SAS",
	vatId: "FR61954506077",
	legalRegistrationId: { value: "954506077", scheme: "0002" },
	electronicAddress: { scheme: "9957", value: "FR61954506077" },
	address: { line1: "12 rue de la Paix", city: "Paris", postalCode: "75002", countryCode: "FR" },
};

const americanBuyer: BuyerParty = {
	name: "Example Robotics Inc.",
	electronicAddress: { scheme: "0060", value: "123456789" },
	address: {
		line1: "500 Market Street",
		city: "San Francisco",
		postalCode: "94105",
		subdivision: "CA",
		countryCode: "US",
	},
};

const sepaTransfer = {
	meansCode: "58",
	meansText: "SEPA credit transfer",
	remittanceInformation: "RE-2026-0001",
	creditTransfers: [
		{ accountId: "DE75512108001245126199", accountName: "Muster Software GmbH", serviceProviderId: "SOGEDEFFXXX" },
	],
};

const base = {
	issueDate: "2026-11-30",
	dueDate: "2026-12-14",
	typeCode: "380",
	seller,
	paymentTerms: "Zahlbar innerhalb von 14 Tagen ohne Abzug.",
	invoicingPeriod: { start: "2026-11-01", end: "2026-11-30" },
} as const;

/** Domestic DE with the standard (19 %) and the reduced (7 %) rate. */
export const domesticTwoRates: EInvoice = {
	...base,
	number: "RE-2026-0001",
	currency: "EUR",
	buyerReference: "11-0100000001-28",
	purchaseOrderReference: "BEST-4711",
	contractReference: "RV-2026-17",
	buyer: germanAuthority,
	paymentInstructions: { ...sepaTransfer, remittanceInformation: "RE-2026-0001" },
	notes: [{ text: "Es gelten unsere Allgemeinen Geschäftsbedingungen.", subjectCode: "AAI" }],
	lines: [
		{
			id: "1",
			quantity: dec("2"),
			unitCode: "MON",
			netAmount: 9980,
			price: { netPrice: dec("49.90") },
			vat: { code: "S", ratePercent: dec("19") },
			item: { name: "Cloud-Abonnement Business", sellerId: "SUB-BIZ" },
		},
		{
			id: "2",
			quantity: dec("3"),
			unitCode: "C62",
			netAmount: 7350,
			price: { netPrice: dec("24.50") },
			vat: { code: "S", ratePercent: dec("7") },
			item: { name: "Fachbuch Rechnungswesen", standardId: { value: "4006381333931", scheme: "0160" } },
		},
	],
	vatBreakdown: [
		{ category: { code: "S", ratePercent: dec("19") }, taxableAmount: 9980, taxAmount: 1896 },
		{ category: { code: "S", ratePercent: dec("7") }, taxableAmount: 7350, taxAmount: 515 },
	],
	totals: { lineNetTotal: 17330, taxExclusive: 17330, vatTotal: 2411, taxInclusive: 19741, payable: 19741 },
};

/** DE → FR services: the French buyer accounts for the VAT (reverse charge, AE). */
export const reverseChargeFrance: EInvoice = {
	...base,
	number: "RE-2026-0002",
	currency: "EUR",
	buyerReference: "ACHATS-42",
	purchaseOrderReference: "PO-778",
	buyer: frenchBuyer,
	paymentInstructions: { ...sepaTransfer, remittanceInformation: "RE-2026-0002" },
	lines: [
		{
			id: "1",
			quantity: dec("10"),
			unitCode: "HUR",
			netAmount: 120000,
			price: { netPrice: dec("120") },
			vat: { code: "AE", ratePercent: dec("0") },
			item: { name: "Integration consulting", description: "Billing API integration workshop" },
		},
	],
	vatBreakdown: [
		{
			category: { code: "AE", ratePercent: dec("0") },
			taxableAmount: 120000,
			taxAmount: 0,
			exemptionReason: "Reverse charge",
			exemptionReasonCode: "VATEX-EU-AE",
		},
	],
	totals: { lineNetTotal: 120000, taxExclusive: 120000, vatTotal: 0, taxInclusive: 120000, payable: 120000 },
};

/** DE → US: an export of goods outside the EU (G), invoiced in US dollars. */
export const exportUnitedStates: EInvoice = {
	...base,
	number: "RE-2026-0003",
	currency: "USD",
	buyerReference: "PO-US-9001",
	buyer: americanBuyer,
	delivery: {
		date: "2026-11-20",
		address: { line1: "500 Market Street", city: "San Francisco", postalCode: "94105", countryCode: "US" },
	},
	paymentInstructions: { ...sepaTransfer, remittanceInformation: "RE-2026-0003" },
	lines: [
		{
			id: "1",
			quantity: dec("5"),
			unitCode: "C62",
			netAmount: 99500,
			price: { netPrice: dec("199") },
			vat: { code: "G", ratePercent: dec("0") },
			item: { name: "Receipt printer", originCountry: "DE" },
		},
	],
	vatBreakdown: [
		{
			category: { code: "G", ratePercent: dec("0") },
			taxableAmount: 99500,
			taxAmount: 0,
			exemptionReason: "Export outside the EU",
			exemptionReasonCode: "VATEX-EU-G",
		},
	],
	totals: { lineNetTotal: 99500, taxExclusive: 99500, vatTotal: 0, taxInclusive: 99500, payable: 99500 },
};

/** A VAT-exempt supply (E): school education services. */
export const exemptBuyer: EInvoice = {
	...base,
	number: "RE-2026-0004",
	currency: "EUR",
	buyerReference: "11-0100000001-28",
	buyer: { ...germanAuthority, name: "Volkshochschule Berlin Mitte" },
	paymentInstructions: { ...sepaTransfer, remittanceInformation: "RE-2026-0004" },
	lines: [
		{
			id: "1",
			quantity: dec("2"),
			unitCode: "DAY",
			netAmount: 160000,
			price: { netPrice: dec("800") },
			vat: { code: "E", ratePercent: dec("0") },
			item: { name: "Schulung Buchhaltung" },
		},
	],
	vatBreakdown: [
		{
			category: { code: "E", ratePercent: dec("0") },
			taxableAmount: 160000,
			taxAmount: 0,
			exemptionReason: "Steuerfrei nach § 4 Nr. 21 UStG",
			exemptionReasonCode: "VATEX-EU-132-1I",
		},
	],
	totals: { lineNetTotal: 160000, taxExclusive: 160000, vatTotal: 0, taxInclusive: 160000, payable: 160000 },
};

/** Line allowance (10 %), a price discount (gross 50, net 40), a document allowance (5 %) and charge
 * (shipping), a prepaid amount and a rounding amount. */
export const allowancesAndCharges: EInvoice = {
	...base,
	number: "RE-2026-0005",
	currency: "EUR",
	buyerReference: "11-0100000001-28",
	buyer: germanAuthority,
	paymentInstructions: { ...sepaTransfer, remittanceInformation: "RE-2026-0005" },
	lines: [
		{
			id: "1",
			quantity: dec("10"),
			unitCode: "C62",
			netAmount: 13500,
			allowances: [{ amount: 1500, baseAmount: 15000, percent: dec("10"), reason: "Mengenrabatt", reasonCode: "95" }],
			price: { netPrice: dec("15") },
			vat: { code: "S", ratePercent: dec("19") },
			item: { name: "Thermopapierrolle" },
		},
		{
			id: "2",
			quantity: dec("1"),
			unitCode: "C62",
			netAmount: 4000,
			price: { netPrice: dec("40"), grossPrice: dec("50"), discount: dec("10") },
			vat: { code: "S", ratePercent: dec("19") },
			item: { name: "Kartenlesegerät" },
		},
	],
	allowances: [
		{
			amount: 875,
			baseAmount: 17500,
			percent: dec("5"),
			vat: { code: "S", ratePercent: dec("19") },
			reason: "Treuerabatt",
			reasonCode: "95",
		},
	],
	charges: [{ amount: 490, vat: { code: "S", ratePercent: dec("19") }, reason: "Versand", reasonCode: "FC" }],
	vatBreakdown: [{ category: { code: "S", ratePercent: dec("19") }, taxableAmount: 17115, taxAmount: 3252 }],
	totals: {
		lineNetTotal: 17500,
		allowanceTotal: 875,
		chargeTotal: 490,
		taxExclusive: 17115,
		vatTotal: 3252,
		taxInclusive: 20367,
		prepaid: 5000,
		rounding: 3,
		payable: 15370,
	},
};

/** Invoiced in yen (no minor unit), with the VAT also stated in euro (BT-6, BT-111). */
export const yenWithEuroVat: EInvoice = {
	...base,
	number: "RE-2026-0006",
	currency: "JPY",
	taxCurrency: { currency: "EUR", vatTotal: 4275 },
	buyerReference: "11-0100000001-28",
	buyer: germanAuthority,
	paymentInstructions: { ...sepaTransfer, remittanceInformation: "RE-2026-0006" },
	lines: [
		{
			id: "1",
			quantity: dec("3"),
			unitCode: "C62",
			netAmount: 36000,
			price: { netPrice: dec("12000") },
			vat: { code: "S", ratePercent: dec("19") },
			item: { name: "Lizenz Kassensoftware" },
		},
	],
	vatBreakdown: [{ category: { code: "S", ratePercent: dec("19") }, taxableAmount: 36000, taxAmount: 6840 }],
	totals: { lineNetTotal: 36000, taxExclusive: 36000, vatTotal: 6840, taxInclusive: 42840, payable: 42840 },
};

/** A credit note (381) for one month of the domestic invoice's subscription, naming that invoice. */
export const creditNote: EInvoice = {
	...base,
	number: "GS-2026-0001",
	typeCode: "381",
	currency: "EUR",
	buyerReference: "11-0100000001-28",
	buyer: germanAuthority,
	precedingInvoices: [{ number: "RE-2026-0001", issueDate: "2026-11-30" }],
	paymentInstructions: { ...sepaTransfer, remittanceInformation: "GS-2026-0001" },
	paymentTerms: "Der Betrag wird Ihrem Konto gutgeschrieben.",
	lines: [
		{
			id: "1",
			quantity: dec("1"),
			unitCode: "MON",
			netAmount: 4990,
			price: { netPrice: dec("49.90") },
			vat: { code: "S", ratePercent: dec("19") },
			item: { name: "Cloud-Abonnement Business (Gutschrift)" },
		},
	],
	vatBreakdown: [{ category: { code: "S", ratePercent: dec("19") }, taxableAmount: 4990, taxAmount: 948 }],
	totals: { lineNetTotal: 4990, taxExclusive: 4990, vatTotal: 948, taxInclusive: 5938, payable: 5938 },
};

/** Kuwaiti dinar has three decimals; EN 16931 amounts have at most two (BR-DEC-*), so the amounts are
 * whole multiples of 10 fils while the unit price keeps its third decimal. */
export const kuwaitiDinar: EInvoice = {
	...base,
	number: "RE-2026-0008",
	currency: "KWD",
	buyerReference: "KW-PO-31",
	buyer: {
		name: "Gulf Retail Co. W.L.L.",
		electronicAddress: { scheme: "EM", value: "ap@gulfretail.example" },
		address: { line1: "Al Hamra Tower, Floor 20", city: "Kuwait City", postalCode: "13001", countryCode: "KW" },
	},
	paymentInstructions: { ...sepaTransfer, remittanceInformation: "RE-2026-0008" },
	// In fils, as the invoice computed them: 3 × 1.255 = 3.765 KWD, which the file carries as 3.77.
	lines: [
		{
			id: "1",
			quantity: dec("3"),
			unitCode: "C62",
			netAmount: 3765,
			price: { netPrice: dec("1.255") },
			vat: { code: "G", ratePercent: dec("0") },
			item: { name: "Receipt paper roll" },
		},
		{
			id: "2",
			quantity: dec("2"),
			unitCode: "C62",
			netAmount: 25000,
			allowances: [{ amount: 1005, reason: "Launch discount" }],
			price: { netPrice: dec("13.0025") },
			vat: { code: "G", ratePercent: dec("0") },
			item: { name: "Card reader" },
		},
	],
	vatBreakdown: [
		{
			category: { code: "G", ratePercent: dec("0") },
			taxableAmount: 28765,
			taxAmount: 0,
			exemptionReason: "Export outside the EU",
			exemptionReasonCode: "VATEX-EU-G",
		},
	],
	totals: { lineNetTotal: 28765, taxExclusive: 28765, vatTotal: 0, taxInclusive: 28765, payable: 28765 },
};

/** BHD (three decimals) at a standard rate: the tax of 3.765 BHD at 10 % is 0.377, written 0.38. */
export const bahrainiDinar: EInvoice = {
	...base,
	number: "RE-2026-0012",
	currency: "BHD",
	buyerReference: "BH-PO-7",
	buyer: {
		name: "Manama Trading W.L.L.",
		electronicAddress: { scheme: "EM", value: "ap@manama.example" },
		address: { line1: "Road 1702", city: "Manama", postalCode: "317", countryCode: "BH" },
	},
	paymentInstructions: { ...sepaTransfer, remittanceInformation: "RE-2026-0012" },
	lines: [
		{
			id: "1",
			quantity: dec("3"),
			unitCode: "C62",
			netAmount: 3765,
			price: { netPrice: dec("1.255") },
			vat: { code: "S", ratePercent: dec("10") },
			item: { name: "Receipt paper roll" },
		},
	],
	vatBreakdown: [{ category: { code: "S", ratePercent: dec("10") }, taxableAmount: 3765, taxAmount: 377 }],
	totals: { lineNetTotal: 3765, taxExclusive: 3765, vatTotal: 377, taxInclusive: 4142, payable: 4142 },
};

/** DE → AT goods: an intra-community supply (K), with the delivery date and place it requires. */
export const intraCommunityAustria: EInvoice = {
	...base,
	number: "RE-2026-0009",
	currency: "EUR",
	buyerReference: "AT-BEST-12",
	buyer: {
		name: "Beispiel Handels GmbH",
		vatId: "ATU12345678",
		electronicAddress: { scheme: "9914", value: "ATU12345678" },
		address: { line1: "Mariahilfer Straße 1", city: "Wien", postalCode: "1060", countryCode: "AT" },
	},
	delivery: {
		date: "2026-11-25",
		address: { line1: "Lagerweg 5", city: "Wien", postalCode: "1110", countryCode: "AT" },
	},
	paymentInstructions: { ...sepaTransfer, remittanceInformation: "RE-2026-0009" },
	lines: [
		{
			id: "1",
			quantity: dec("20"),
			unitCode: "C62",
			netAmount: 90000,
			price: { netPrice: dec("45") },
			vat: { code: "K", ratePercent: dec("0") },
			item: { name: "Bondrucker-Papier, Karton" },
		},
	],
	vatBreakdown: [
		{
			category: { code: "K", ratePercent: dec("0") },
			taxableAmount: 90000,
			taxAmount: 0,
			exemptionReason: "Intra-community supply",
			exemptionReasonCode: "VATEX-EU-IC",
		},
	],
	totals: { lineNetTotal: 90000, taxExclusive: 90000, vatTotal: 0, taxInclusive: 90000, payable: 90000 },
};

/** A zero-rated supply (Z): solar modules under the German 0 % rate, no exemption reason. */
export const zeroRated: EInvoice = {
	...base,
	number: "RE-2026-0010",
	currency: "EUR",
	buyerReference: "11-0100000001-28",
	buyer: germanAuthority,
	paymentInstructions: { ...sepaTransfer, remittanceInformation: "RE-2026-0010" },
	lines: [
		{
			id: "1",
			quantity: dec("2"),
			unitCode: "C62",
			netAmount: 70000,
			price: { netPrice: dec("350") },
			vat: { code: "Z", ratePercent: dec("0") },
			item: { name: "Photovoltaikmodul 430 Wp" },
		},
	],
	vatBreakdown: [{ category: { code: "Z", ratePercent: dec("0") }, taxableAmount: 70000, taxAmount: 0 }],
	totals: { lineNetTotal: 70000, taxExclusive: 70000, vatTotal: 0, taxInclusive: 70000, payable: 70000 },
};

/**
 * Shop prices that include VAT, split per invoice (net + VAT = the price stated): 3 × 9.99 gross at 19 %
 * is 29.97 = 25.18 net + 4.79 VAT, whose net has no exact unit price, so the price is that of all three
 * (BT-149); 2 × 5.35 gross at 7 % is 10.70 = 10.00 net (5.00 each) + 0.70 VAT. BR-CO-17 allows the 19 %
 * category's 4.79 against 25.18 × 19 % = 4.78, as any tax-inclusive split must be allowed to.
 */
export const pricesIncludeTax: EInvoice = {
	...base,
	number: "RE-2026-0013",
	currency: "EUR",
	buyerReference: "11-0100000001-28",
	buyer: germanAuthority,
	paymentInstructions: { ...sepaTransfer, remittanceInformation: "RE-2026-0013" },
	lines: [
		{
			id: "1",
			quantity: dec("3"),
			unitCode: "C62",
			netAmount: 2518,
			price: { netPrice: dec("25.18"), baseQuantity: dec("3") },
			vat: { code: "S", ratePercent: dec("19") },
			item: { name: "Thermopapierrolle 3er-Pack" },
		},
		{
			id: "2",
			quantity: dec("2"),
			unitCode: "C62",
			netAmount: 1000,
			price: { netPrice: dec("5") },
			vat: { code: "S", ratePercent: dec("7") },
			item: { name: "Fachzeitschrift" },
		},
	],
	vatBreakdown: [
		{ category: { code: "S", ratePercent: dec("19") }, taxableAmount: 2518, taxAmount: 479 },
		{ category: { code: "S", ratePercent: dec("7") }, taxableAmount: 1000, taxAmount: 70 },
	],
	totals: { lineNetTotal: 3518, taxExclusive: 3518, vatTotal: 549, taxInclusive: 4067, payable: 4067 },
};

export const fixtures: Record<string, EInvoice> = {
	"domestic-de-two-rates": domesticTwoRates,
	"reverse-charge-de-fr": reverseChargeFrance,
	"export-de-us": exportUnitedStates,
	"exempt-buyer": exemptBuyer,
	"allowances-and-charges": allowancesAndCharges,
	"jpy-with-eur-vat": yenWithEuroVat,
	"credit-note": creditNote,
	"kwd-three-decimals": kuwaitiDinar,
	"bhd-three-decimals-standard-rate": bahrainiDinar,
	"intra-community-de-at": intraCommunityAustria,
	"zero-rated-de": zeroRated,
	"prices-include-tax-de": pricesIncludeTax,
};
