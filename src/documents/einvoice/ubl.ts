// UBL 2.1 Invoice and CreditNote (EN 16931 UBL binding). One function renders both document types and
// every UBL-based specification; the specification only changes BT-24 (CustomizationID) and BT-23.
import type { Decimal } from "../../domain/decimal";
import type {
	Contact,
	DocumentAllowanceCharge,
	EInvoice,
	InvoiceLine,
	LineAllowanceCharge,
	Party,
	Period,
	PostalAddress,
	SellerParty,
	VatBreakdown,
	VatCategory,
} from "./model";
import { isCreditNote } from "./model";
import { withTwoDecimalAmounts } from "./twoDecimals";
import { amountText, decimalText, el, serialize, type XmlElement } from "./xml";

/** BT-24 and BT-23 of a UBL-based specification. */
export type UblSpecification = { customizationId: string; profileId: string };

export const PEPPOL_BIS_BILLING_3: UblSpecification = {
	customizationId: "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0",
	profileId: "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0",
};

const NS = {
	Invoice: "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
	CreditNote: "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
	cac: "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
	cbc: "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
};

type Child = XmlElement | undefined;

/** Renders `invoice` as a UBL 2.1 Invoice, or CreditNote for type 381, declaring `specification`. */
export function renderUblDocument(issued: EInvoice, specification: UblSpecification): string {
	const invoice = withTwoDecimalAmounts(issued);
	const creditNote = isCreditNote(invoice);
	const root = creditNote ? "CreditNote" : "Invoice";
	const money = (name: string, amount: number | undefined, currency = invoice.currency): Child =>
		el(name, amountText(amount, currency), { currencyID: currency });

	const header: Child[] = [
		el("cbc:CustomizationID", specification.customizationId),
		el("cbc:ProfileID", specification.profileId),
		el("cbc:ID", invoice.number),
		el("cbc:IssueDate", invoice.issueDate),
		creditNote ? undefined : el("cbc:DueDate", invoice.dueDate),
		creditNote ? el("cbc:TaxPointDate", invoice.vatPointDate) : undefined,
		el(creditNote ? "cbc:CreditNoteTypeCode" : "cbc:InvoiceTypeCode", invoice.typeCode),
		...(invoice.notes ?? []).map((note) =>
			el("cbc:Note", note.subjectCode ? `#${note.subjectCode}#${note.text}` : note.text),
		),
		creditNote ? undefined : el("cbc:TaxPointDate", invoice.vatPointDate),
		el("cbc:DocumentCurrencyCode", invoice.currency),
		el("cbc:TaxCurrencyCode", invoice.taxCurrency?.currency),
		el("cbc:AccountingCost", invoice.buyerAccountingReference),
		el("cbc:BuyerReference", invoice.buyerReference),
		period("cac:InvoicePeriod", invoice.invoicingPeriod),
		el("cac:OrderReference", [
			// UBL needs an order ID beside a sales order reference; Peppol's convention is "NA".
			el("cbc:ID", invoice.purchaseOrderReference ?? (invoice.salesOrderReference ? "NA" : undefined)),
			el("cbc:SalesOrderID", invoice.salesOrderReference),
		]),
		...(invoice.precedingInvoices ?? []).map((preceding) =>
			el("cac:BillingReference", [
				el("cac:InvoiceDocumentReference", [el("cbc:ID", preceding.number), el("cbc:IssueDate", preceding.issueDate)]),
			]),
		),
		el("cac:ContractDocumentReference", [el("cbc:ID", invoice.contractReference)]),
		// A CreditNote has no ProjectReference; BT-11 travels as a document reference of type 50 there.
		creditNote
			? el("cac:AdditionalDocumentReference", [
					el("cbc:ID", invoice.projectReference),
					invoice.projectReference ? el("cbc:DocumentTypeCode", "50") : undefined,
				])
			: el("cac:ProjectReference", [el("cbc:ID", invoice.projectReference)]),
		el("cac:AccountingSupplierParty", [sellerParty(invoice)]),
		el("cac:AccountingCustomerParty", [party(invoice.buyer, [])]),
		delivery(invoice),
		...paymentMeans(invoice, creditNote),
		el("cac:PaymentTerms", [el("cbc:Note", invoice.paymentTerms)]),
		...(invoice.allowances ?? []).map((a) => documentAllowanceCharge(a, false, money)),
		...(invoice.charges ?? []).map((c) => documentAllowanceCharge(c, true, money)),
		el("cac:TaxTotal", [
			money("cbc:TaxAmount", invoice.totals.vatTotal),
			...invoice.vatBreakdown.map((entry) => taxSubtotal(entry, money)),
		]),
		invoice.taxCurrency
			? el("cac:TaxTotal", [money("cbc:TaxAmount", invoice.taxCurrency.vatTotal, invoice.taxCurrency.currency)])
			: undefined,
		el("cac:LegalMonetaryTotal", [
			money("cbc:LineExtensionAmount", invoice.totals.lineNetTotal),
			money("cbc:TaxExclusiveAmount", invoice.totals.taxExclusive),
			money("cbc:TaxInclusiveAmount", invoice.totals.taxInclusive),
			money("cbc:AllowanceTotalAmount", invoice.totals.allowanceTotal),
			money("cbc:ChargeTotalAmount", invoice.totals.chargeTotal),
			money("cbc:PrepaidAmount", invoice.totals.prepaid),
			money("cbc:PayableRoundingAmount", invoice.totals.rounding),
			money("cbc:PayableAmount", invoice.totals.payable),
		]),
		...invoice.lines.map((line) => invoiceLine(line, creditNote, money, invoice.currency)),
	];
	return serialize(el(root, header, { xmlns: NS[root], "xmlns:cac": NS.cac, "xmlns:cbc": NS.cbc }));
}

type Money = (name: string, amount: number | undefined, currency?: string) => Child;

const period = (name: string, value: Period | undefined): Child =>
	el(name, [el("cbc:StartDate", value?.start), el("cbc:EndDate", value?.end)]);

function address(name: string, value: PostalAddress | undefined): Child {
	if (!value) return undefined;
	return el(name, [
		el("cbc:StreetName", value.line1),
		el("cbc:AdditionalStreetName", value.line2),
		el("cbc:CityName", value.city),
		el("cbc:PostalZone", value.postalCode),
		el("cbc:CountrySubentity", value.subdivision),
		el("cac:AddressLine", [el("cbc:Line", value.line3)]),
		el("cac:Country", [el("cbc:IdentificationCode", value.countryCode)]),
	]);
}

const contact = (value: Contact | undefined): Child =>
	el("cac:Contact", [
		el("cbc:Name", value?.name),
		el("cbc:Telephone", value?.telephone),
		el("cbc:ElectronicMail", value?.email),
	]);

const taxScheme = (id: string): Child => el("cac:TaxScheme", [el("cbc:ID", id)]);

/** BG-4/BG-7 as a cac:Party; `extraIdentifiers` and `sellerOnly` carry what only the seller has. */
function party(value: Party, extraIdentifiers: Child[], sellerOnly?: SellerParty): Child {
	return el("cac:Party", [
		el("cbc:EndpointID", value.electronicAddress?.value, { schemeID: value.electronicAddress?.scheme }),
		...(value.identifiers ?? []).map((id) =>
			el("cac:PartyIdentification", [el("cbc:ID", id.value, { schemeID: id.scheme })]),
		),
		...extraIdentifiers,
		el("cac:PartyName", [el("cbc:Name", value.tradingName)]),
		address("cac:PostalAddress", value.address),
		el("cac:PartyTaxScheme", [el("cbc:CompanyID", value.vatId), value.vatId ? taxScheme("VAT") : undefined]),
		el("cac:PartyTaxScheme", [
			el("cbc:CompanyID", sellerOnly?.taxRegistrationId),
			sellerOnly?.taxRegistrationId ? taxScheme("FC") : undefined,
		]),
		el("cac:PartyLegalEntity", [
			el("cbc:RegistrationName", value.name),
			el("cbc:CompanyID", value.legalRegistrationId?.value, { schemeID: value.legalRegistrationId?.scheme }),
			el("cbc:CompanyLegalForm", sellerOnly?.additionalLegalInformation),
		]),
		contact(value.contact),
	]);
}

/** The seller, with the SEPA creditor identifier (BT-90) as a party identifier, as UBL binds it. */
const sellerParty = (invoice: EInvoice): Child =>
	party(
		invoice.seller,
		[
			el("cac:PartyIdentification", [
				el("cbc:ID", invoice.paymentInstructions?.directDebit?.creditorId, { schemeID: "SEPA" }),
			]),
		],
		invoice.seller,
	);

function delivery(invoice: EInvoice): Child {
	const value = invoice.delivery;
	if (!value) return undefined;
	return el("cac:Delivery", [
		el("cbc:ActualDeliveryDate", value.date),
		el("cac:DeliveryLocation", [
			el("cbc:ID", value.locationId?.value, { schemeID: value.locationId?.scheme }),
			address("cac:Address", value.address),
		]),
		el("cac:DeliveryParty", [el("cac:PartyName", [el("cbc:Name", value.partyName)])]),
	]);
}

/** BG-16: one cac:PaymentMeans per credit transfer account (BG-17 repeats), else one. A CreditNote has no
 * DueDate, so BT-9 is the payment means' due date there. */
function paymentMeans(invoice: EInvoice, creditNote: boolean): Child[] {
	const value = invoice.paymentInstructions;
	if (!value) return [];
	const means = (account: Child): Child =>
		el("cac:PaymentMeans", [
			el("cbc:PaymentMeansCode", value.meansCode, { name: value.meansText }),
			creditNote ? el("cbc:PaymentDueDate", invoice.dueDate) : undefined,
			el("cbc:PaymentID", value.remittanceInformation),
			value.card
				? el("cac:CardAccount", [
						el("cbc:PrimaryAccountNumberID", value.card.primaryAccountNumber),
						el("cbc:NetworkID", value.card.network),
						el("cbc:HolderName", value.card.holderName),
					])
				: undefined,
			account,
			value.directDebit
				? el("cac:PaymentMandate", [
						el("cbc:ID", value.directDebit.mandateReference),
						el("cac:PayerFinancialAccount", [el("cbc:ID", value.directDebit.debitedAccountId)]),
					])
				: undefined,
		]);
	const accounts = value.creditTransfers ?? [];
	if (accounts.length === 0) return [means(undefined)];
	return accounts.map((account) =>
		means(
			el("cac:PayeeFinancialAccount", [
				el("cbc:ID", account.accountId),
				el("cbc:Name", account.accountName),
				el("cac:FinancialInstitutionBranch", [el("cbc:ID", account.serviceProviderId)]),
			]),
		),
	);
}

const percentText = (category: VatCategory): string | undefined =>
	category.code === "O" ? undefined : decimalText(category.ratePercent);

const taxCategory = (name: string, category: VatCategory, exemption?: VatBreakdown): Child =>
	el(name, [
		el("cbc:ID", category.code),
		el("cbc:Percent", percentText(category)),
		el("cbc:TaxExemptionReasonCode", exemption?.exemptionReasonCode),
		el("cbc:TaxExemptionReason", exemption?.exemptionReason),
		taxScheme("VAT"),
	]);

function documentAllowanceCharge(value: DocumentAllowanceCharge, charge: boolean, money: Money): Child {
	return el("cac:AllowanceCharge", [
		el("cbc:ChargeIndicator", String(charge)),
		el("cbc:AllowanceChargeReasonCode", value.reasonCode),
		el("cbc:AllowanceChargeReason", value.reason),
		el("cbc:MultiplierFactorNumeric", decimalText(value.percent)),
		money("cbc:Amount", value.amount),
		money("cbc:BaseAmount", value.baseAmount),
		taxCategory("cac:TaxCategory", value.vat),
	]);
}

const lineAllowanceCharge = (value: LineAllowanceCharge, charge: boolean, money: Money): Child =>
	el("cac:AllowanceCharge", [
		el("cbc:ChargeIndicator", String(charge)),
		el("cbc:AllowanceChargeReasonCode", value.reasonCode),
		el("cbc:AllowanceChargeReason", value.reason),
		el("cbc:MultiplierFactorNumeric", decimalText(value.percent)),
		money("cbc:Amount", value.amount),
		money("cbc:BaseAmount", value.baseAmount),
	]);

const taxSubtotal = (entry: VatBreakdown, money: Money): Child =>
	el("cac:TaxSubtotal", [
		money("cbc:TaxableAmount", entry.taxableAmount),
		money("cbc:TaxAmount", entry.taxAmount),
		taxCategory("cac:TaxCategory", entry.category, entry),
	]);

/** A price is a decimal of the major unit, so it is written as it is, in the document currency. */
function price(line: InvoiceLine, currency: string): Child {
	const priceAmount = (name: string, value: Decimal | undefined): Child =>
		el(name, decimalText(value), { currencyID: currency });
	const { netPrice, grossPrice, discount, baseQuantity, baseQuantityUnitCode } = line.price;
	return el("cac:Price", [
		priceAmount("cbc:PriceAmount", netPrice),
		el("cbc:BaseQuantity", decimalText(baseQuantity), { unitCode: baseQuantityUnitCode ?? line.unitCode }),
		grossPrice
			? el("cac:AllowanceCharge", [
					el("cbc:ChargeIndicator", "false"),
					priceAmount("cbc:Amount", discount ?? { units: 0n, scale: 0 }),
					priceAmount("cbc:BaseAmount", grossPrice),
				])
			: undefined,
	]);
}

function invoiceLine(line: InvoiceLine, creditNote: boolean, money: Money, currency: string): Child {
	return el(creditNote ? "cac:CreditNoteLine" : "cac:InvoiceLine", [
		el("cbc:ID", line.id),
		el("cbc:Note", line.note),
		el(creditNote ? "cbc:CreditedQuantity" : "cbc:InvoicedQuantity", decimalText(line.quantity), {
			unitCode: line.unitCode,
		}),
		money("cbc:LineExtensionAmount", line.netAmount),
		el("cbc:AccountingCost", line.accountingReference),
		period("cac:InvoicePeriod", line.period),
		el("cac:OrderLineReference", [el("cbc:LineID", line.orderLineReference)]),
		...(line.allowances ?? []).map((a) => lineAllowanceCharge(a, false, money)),
		...(line.charges ?? []).map((c) => lineAllowanceCharge(c, true, money)),
		el("cac:Item", [
			el("cbc:Description", line.item.description),
			el("cbc:Name", line.item.name),
			el("cac:BuyersItemIdentification", [el("cbc:ID", line.item.buyerId)]),
			el("cac:SellersItemIdentification", [el("cbc:ID", line.item.sellerId)]),
			el("cac:StandardItemIdentification", [
				el("cbc:ID", line.item.standardId?.value, { schemeID: line.item.standardId?.scheme }),
			]),
			el("cac:OriginCountry", [el("cbc:IdentificationCode", line.item.originCountry)]),
			...(line.item.classifications ?? []).map((c) =>
				el("cac:CommodityClassification", [el("cbc:ItemClassificationCode", c.code, { listID: c.listId })]),
			),
			taxCategory("cac:ClassifiedTaxCategory", line.vat),
		]),
		price(line, currency),
	]);
}

/** Peppol BIS Billing 3.0. */
export const renderUbl = (invoice: EInvoice): string => renderUblDocument(invoice, PEPPOL_BIS_BILLING_3);
