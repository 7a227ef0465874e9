// The EN 16931 semantic model of an invoice or credit note: one plain value that every syntax (UBL,
// XRechnung, CII) is rendered from. Field comments name the business term (BT-n) or group (BG-n) of
// EN 16931-1. Amounts are integer minor units of the currency they are in (see currency.ts, whose
// exponent says how many minor units make one major unit); quantities, prices and rates are exact
// decimals (decimal.ts). Nothing in here is computed by the renderers: totals and the VAT breakdown are
// what the invoice says, and the rule checks verify that they add up.
import type { Decimal } from "../../domain/decimal";

/** Integer count of minor units of the document currency (BT-5) unless a field says otherwise. The
 * types below take the amount type as a parameter so that the rule checks can read the same shape from
 * XML with exact decimals (`EInvoice<Decimal>`). */
export type MinorUnits = number;

/** UNTDID 1001 document types used here: 380 commercial invoice, 381 credit note, 384 corrected invoice,
 * 389 self-billed invoice, 326 partial invoice, 386 prepayment invoice. */
export type DocumentTypeCode = "380" | "381" | "384" | "389" | "326" | "386";

/** UNTDID 5305 VAT category codes of EN 16931: S standard, Z zero rated, E exempt, AE reverse charge,
 * K intra-community supply, G export outside the EU, O outside the scope of VAT, L Canary Islands IGIC,
 * M Ceuta and Melilla IPSI. */
export type VatCategoryCode = "S" | "Z" | "E" | "AE" | "K" | "G" | "O" | "L" | "M";

/** A VAT category with its rate in percent (BT-96/97, BT-102/103, BT-118/119, BT-151/152). The rate is
 * absent only for category O. */
export type VatCategory = { code: VatCategoryCode; ratePercent?: Decimal };

/** An identifier with an optional scheme (ISO 6523 ICD, e.g. `0088` GLN, `0208` BE KBO). */
export type SchemedId = { value: string; scheme?: string };

/** An electronic address (BT-34 / BT-49) with its scheme from the CEF EAS list (e.g. `0088` GLN,
 * `9930` DE VAT, `0208` BE KBO, `EM` e-mail); both are mandatory in EN 16931 (BR-62, BR-63). */
export type ElectronicAddress = { value: string; scheme: string };

/** BG-5 / BG-8 / BG-15 postal address. `countryCode` is ISO 3166-1 alpha-2. */
export type PostalAddress = {
	line1?: string; // BT-35 / BT-50 / BT-75
	line2?: string; // BT-36 / BT-51 / BT-76
	line3?: string; // BT-162 / BT-163 / BT-165
	city?: string; // BT-37 / BT-52 / BT-77
	postalCode?: string; // BT-38 / BT-53 / BT-78
	subdivision?: string; // BT-39 / BT-54 / BT-79
	countryCode: string; // BT-40 / BT-55 / BT-80
};

/** BG-6 / BG-9 contact. */
export type Contact = {
	name?: string; // BT-41 / BT-56
	telephone?: string; // BT-42 / BT-57
	email?: string; // BT-43 / BT-58
};

/** What seller (BG-4) and buyer (BG-7) have in common. */
export type Party = {
	name: string; // BT-27 / BT-44: legal name
	tradingName?: string; // BT-28 / BT-45
	identifiers?: SchemedId[]; // BT-29 / BT-46 (e.g. a GLN, a customer number)
	legalRegistrationId?: SchemedId; // BT-30 / BT-47 (company register number)
	vatId?: string; // BT-31 / BT-48, with its ISO 3166 country prefix (`DE123456789`)
	electronicAddress?: ElectronicAddress; // BT-34 / BT-49
	address: PostalAddress; // BG-5 / BG-8
	contact?: Contact; // BG-6 / BG-9
};

export type SellerParty = Party & {
	taxRegistrationId?: string; // BT-32: the local tax number (German Steuernummer)
	additionalLegalInformation?: string; // BT-33 (share capital, register court)
};

export type BuyerParty = Party;

/** BG-13 delivery information. */
export type Delivery = {
	partyName?: string; // BT-70
	locationId?: SchemedId; // BT-71
	date?: string; // BT-72 actual delivery date, YYYY-MM-DD
	address?: PostalAddress; // BG-15
};

/** BG-14 / BG-26: a billing period, dates as YYYY-MM-DD. */
export type Period = { start?: string; end?: string };

/** BG-16 payment instructions. */
export type PaymentInstructions = {
	meansCode: string; // BT-81, UNTDID 4461 (30 credit transfer, 58 SEPA credit transfer, 59 SEPA direct debit, 48 card, 10 cash)
	meansText?: string; // BT-82
	remittanceInformation?: string; // BT-83
	creditTransfers?: { accountId: string; accountName?: string; serviceProviderId?: string }[]; // BG-17: BT-84 IBAN, BT-85, BT-86 BIC
	card?: { primaryAccountNumber: string; network: string; holderName?: string }; // BG-18: BT-87 (last digits only), card network (UBL), BT-88
	directDebit?: { mandateReference?: string; creditorId?: string; debitedAccountId?: string }; // BG-19: BT-89, BT-90, BT-91
};

/** A document-level allowance (BG-20) or charge (BG-21). */
export type DocumentAllowanceCharge<A = MinorUnits> = {
	amount: A; // BT-92 / BT-99, positive
	baseAmount?: A; // BT-93 / BT-100
	percent?: Decimal; // BT-94 / BT-101
	vat: VatCategory; // BT-95/96 / BT-102/103
	reason?: string; // BT-97 / BT-104
	reasonCode?: string; // BT-98 (UNTDID 5189) / BT-105 (UNTDID 7161)
};

/** A line-level allowance (BG-27) or charge (BG-28): it is already inside the line net amount. */
export type LineAllowanceCharge<A = MinorUnits> = {
	amount: A; // BT-136 / BT-141
	baseAmount?: A; // BT-137 / BT-142
	percent?: Decimal; // BT-138 / BT-143
	reason?: string; // BT-139 / BT-144
	reasonCode?: string; // BT-140 / BT-145
};

/** BG-25 invoice line. */
export type InvoiceLine<A = MinorUnits> = {
	id: string; // BT-126
	note?: string; // BT-127
	quantity: Decimal; // BT-129 (negative on a correcting line)
	unitCode: string; // BT-130, UN/ECE Rec 20 (+ Rec 21); `C62` ("one") when the unit has no name
	netAmount: A; // BT-131 = quantity × netPrice / baseQuantity − allowances + charges
	orderLineReference?: string; // BT-132
	accountingReference?: string; // BT-133
	period?: Period; // BG-26
	allowances?: LineAllowanceCharge<A>[]; // BG-27
	charges?: LineAllowanceCharge<A>[]; // BG-28
	/** BG-29. Prices are decimals in the document currency's major unit and may carry more decimals
	 * than an amount (`0.0125` EUR per call). */
	price: {
		netPrice: Decimal; // BT-146, not negative
		grossPrice?: Decimal; // BT-148
		discount?: Decimal; // BT-147 = grossPrice − netPrice
		baseQuantity?: Decimal; // BT-149 (defaults to 1)
		baseQuantityUnitCode?: string; // BT-150, the same as unitCode
	};
	vat: VatCategory; // BG-30: BT-151, BT-152
	item: {
		name: string; // BT-153
		description?: string; // BT-154
		sellerId?: string; // BT-155 (SKU)
		buyerId?: string; // BT-156
		standardId?: SchemedId; // BT-157 (e.g. GTIN, scheme 0160)
		classifications?: { code: string; listId: string }[]; // BT-158 (UNTDID 7143 list id)
		originCountry?: string; // BT-159
	};
};

/** BG-23: one entry per VAT category and rate. */
export type VatBreakdown<A = MinorUnits> = {
	category: VatCategory; // BT-118, BT-119
	taxableAmount: A; // BT-116 = Σ line net − Σ allowances + Σ charges of that category/rate
	taxAmount: A; // BT-117 = taxableAmount × rate, rounded
	exemptionReason?: string; // BT-120 (mandatory for E, AE, K, G, O: either this or the code)
	exemptionReasonCode?: string; // BT-121, CEF VATEX (e.g. `VATEX-EU-AE`, `VATEX-EU-IC`, `VATEX-EU-G`)
};

/** BG-22 document totals. */
export type DocumentTotals<A = MinorUnits> = {
	lineNetTotal: A; // BT-106 = Σ BT-131
	allowanceTotal?: A; // BT-107 = Σ BT-92
	chargeTotal?: A; // BT-108 = Σ BT-99
	taxExclusive: A; // BT-109 = BT-106 − BT-107 + BT-108
	vatTotal: A; // BT-110 = Σ BT-117 (0 when nothing bears VAT)
	taxInclusive: A; // BT-112 = BT-109 + BT-110
	prepaid?: A; // BT-113
	rounding?: A; // BT-114
	payable: A; // BT-115 = BT-112 − BT-113 + BT-114
};

/** The VAT total in the VAT accounting currency, when that differs from the invoice currency. */
export type TaxCurrencyTotal<A = MinorUnits> = {
	currency: string; // BT-6, ISO 4217
	vatTotal: A; // BT-111, minor units of BT-6 (same sign as BT-110)
};

/** An issued invoice (type 380…) or credit note (381) as EN 16931 sees it. */
export type EInvoice<A = MinorUnits> = {
	number: string; // BT-1
	issueDate: string; // BT-2, YYYY-MM-DD
	typeCode: DocumentTypeCode; // BT-3
	currency: string; // BT-5, ISO 4217; amounts are minor units of it (exponent from currency.ts)
	taxCurrency?: TaxCurrencyTotal<A>; // BT-6 and BT-111
	vatPointDate?: string; // BT-7
	dueDate?: string; // BT-9
	buyerReference?: string; // BT-10, the Leitweg-ID in Germany
	projectReference?: string; // BT-11
	contractReference?: string; // BT-12
	purchaseOrderReference?: string; // BT-13
	salesOrderReference?: string; // BT-14
	buyerAccountingReference?: string; // BT-19
	paymentTerms?: string; // BT-20
	notes?: { text: string; subjectCode?: string }[]; // BG-1: BT-22, BT-21 (UNTDID 4451)
	precedingInvoices?: { number: string; issueDate?: string }[]; // BG-3: BT-25, BT-26
	seller: SellerParty; // BG-4
	buyer: BuyerParty; // BG-7
	delivery?: Delivery; // BG-13
	invoicingPeriod?: Period; // BG-14
	paymentInstructions?: PaymentInstructions; // BG-16
	allowances?: DocumentAllowanceCharge<A>[]; // BG-20
	charges?: DocumentAllowanceCharge<A>[]; // BG-21
	totals: DocumentTotals<A>; // BG-22
	vatBreakdown: VatBreakdown<A>[]; // BG-23
	lines: InvoiceLine<A>[]; // BG-25
};

/** The syntaxes an EInvoice renders to. */
export type EInvoiceFormat = "ubl" | "xrechnung" | "cii";

export const isCreditNote = (invoice: EInvoice): boolean => invoice.typeCode === "381";
