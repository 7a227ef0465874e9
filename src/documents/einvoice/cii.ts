// UN/CEFACT Cross Industry Invoice D16B, EN 16931 profile (also the XML inside Factur-X/ZUGFeRD EN 16931).
// Invoices and credit notes share the structure; only the type code (BT-3) tells them apart.
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
	VatBreakdown,
	VatCategory,
} from "./model";
import { withTwoDecimalAmounts } from "./twoDecimals";
import { amountText, decimalText, el, serialize, type XmlElement } from "./xml";

/** BT-24 of the EN 16931 core (the Factur-X/ZUGFeRD "EN 16931" profile declares the same). */
export const EN16931_CII_GUIDELINE = "urn:cen.eu:en16931:2017";

const NS = {
	rsm: "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
	ram: "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
	qdt: "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
	udt: "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
};

type Child = XmlElement | undefined;

/** YYYY-MM-DD as CII's format 102 (YYYYMMDD). */
const date = (name: string, value: string | undefined, type: "udt" | "qdt" = "udt"): Child =>
	value === undefined
		? undefined
		: el(name, [el(`${type}:DateTimeString`, value.replaceAll("-", ""), { format: "102" })]);

export function renderCii(issued: EInvoice, guideline: string = EN16931_CII_GUIDELINE): string {
	const invoice = withTwoDecimalAmounts(issued);
	const amount = (name: string, value: number | undefined): Child => el(name, amountText(value, invoice.currency));
	const totals = invoice.totals;
	const root = el(
		"rsm:CrossIndustryInvoice",
		[
			el("rsm:ExchangedDocumentContext", [
				el("ram:GuidelineSpecifiedDocumentContextParameter", [el("ram:ID", guideline)]),
			]),
			el("rsm:ExchangedDocument", [
				el("ram:ID", invoice.number),
				el("ram:TypeCode", invoice.typeCode),
				date("ram:IssueDateTime", invoice.issueDate),
				...(invoice.notes ?? []).map((note) =>
					el("ram:IncludedNote", [el("ram:Content", note.text), el("ram:SubjectCode", note.subjectCode)]),
				),
			]),
			el("rsm:SupplyChainTradeTransaction", [
				...invoice.lines.map((line) => lineItem(line, amount)),
				headerAgreement(invoice),
				headerDelivery(invoice),
				el("ram:ApplicableHeaderTradeSettlement", [
					el("ram:CreditorReferenceID", invoice.paymentInstructions?.directDebit?.creditorId),
					el("ram:PaymentReference", invoice.paymentInstructions?.remittanceInformation),
					el("ram:TaxCurrencyCode", invoice.taxCurrency?.currency),
					el("ram:InvoiceCurrencyCode", invoice.currency),
					...paymentMeans(invoice),
					...invoice.vatBreakdown.map((entry) => headerTax(entry, amount)),
					period("ram:BillingSpecifiedPeriod", invoice.invoicingPeriod),
					...(invoice.allowances ?? []).map((a) => allowanceCharge(a, false, amount, a.vat)),
					...(invoice.charges ?? []).map((c) => allowanceCharge(c, true, amount, c.vat)),
					el("ram:SpecifiedTradePaymentTerms", [
						el("ram:Description", invoice.paymentTerms),
						date("ram:DueDateDateTime", invoice.dueDate),
						el("ram:DirectDebitMandateID", invoice.paymentInstructions?.directDebit?.mandateReference),
					]),
					el("ram:SpecifiedTradeSettlementHeaderMonetarySummation", [
						amount("ram:LineTotalAmount", totals.lineNetTotal),
						amount("ram:ChargeTotalAmount", totals.chargeTotal),
						amount("ram:AllowanceTotalAmount", totals.allowanceTotal),
						amount("ram:TaxBasisTotalAmount", totals.taxExclusive),
						el("ram:TaxTotalAmount", amountText(totals.vatTotal, invoice.currency), { currencyID: invoice.currency }),
						invoice.taxCurrency
							? el("ram:TaxTotalAmount", amountText(invoice.taxCurrency.vatTotal, invoice.taxCurrency.currency), {
									currencyID: invoice.taxCurrency.currency,
								})
							: undefined,
						amount("ram:RoundingAmount", totals.rounding),
						amount("ram:GrandTotalAmount", totals.taxInclusive),
						amount("ram:TotalPrepaidAmount", totals.prepaid),
						amount("ram:DuePayableAmount", totals.payable),
					]),
					...(invoice.precedingInvoices ?? []).map((preceding) =>
						el("ram:InvoiceReferencedDocument", [
							el("ram:IssuerAssignedID", preceding.number),
							date("ram:FormattedIssueDateTime", preceding.issueDate, "qdt"),
						]),
					),
					el("ram:ReceivableSpecifiedTradeAccountingAccount", [el("ram:ID", invoice.buyerAccountingReference)]),
				]),
			]),
		],
		{ "xmlns:rsm": NS.rsm, "xmlns:ram": NS.ram, "xmlns:qdt": NS.qdt, "xmlns:udt": NS.udt },
	);
	return serialize(root);
}

type Amount = (name: string, value: number | undefined) => Child;

const period = (name: string, value: Period | undefined): Child =>
	el(name, [date("ram:StartDateTime", value?.start), date("ram:EndDateTime", value?.end)]);

function address(value: PostalAddress | undefined): Child {
	if (!value) return undefined;
	return el("ram:PostalTradeAddress", [
		el("ram:PostcodeCode", value.postalCode),
		el("ram:LineOne", value.line1),
		el("ram:LineTwo", value.line2),
		el("ram:LineThree", value.line3),
		el("ram:CityName", value.city),
		el("ram:CountryID", value.countryCode),
		el("ram:CountrySubDivisionName", value.subdivision),
	]);
}

const contact = (value: Contact | undefined): Child =>
	el("ram:DefinedTradeContact", [
		el("ram:PersonName", value?.name),
		el("ram:TelephoneUniversalCommunication", [el("ram:CompleteNumber", value?.telephone)]),
		el("ram:EmailURIUniversalCommunication", [el("ram:URIID", value?.email)]),
	]);

/** BG-4/BG-7 as a TradeParty. Identifiers with a scheme are global ids, those without are the party's own. */
function tradeParty(name: string, value: Party, taxRegistrationId?: string, legalInformation?: string): Child {
	const identifiers = value.identifiers ?? [];
	return el(name, [
		...identifiers.filter((id) => !id.scheme).map((id) => el("ram:ID", id.value)),
		...identifiers.filter((id) => id.scheme).map((id) => el("ram:GlobalID", id.value, { schemeID: id.scheme })),
		el("ram:Name", value.name),
		el("ram:Description", legalInformation),
		el("ram:SpecifiedLegalOrganization", [
			el("ram:ID", value.legalRegistrationId?.value, { schemeID: value.legalRegistrationId?.scheme }),
			el("ram:TradingBusinessName", value.tradingName),
		]),
		contact(value.contact),
		address(value.address),
		el("ram:URIUniversalCommunication", [
			el("ram:URIID", value.electronicAddress?.value, { schemeID: value.electronicAddress?.scheme }),
		]),
		el("ram:SpecifiedTaxRegistration", [el("ram:ID", value.vatId, { schemeID: "VA" })]),
		el("ram:SpecifiedTaxRegistration", [el("ram:ID", taxRegistrationId, { schemeID: "FC" })]),
	]);
}

const referencedDocument = (name: string, id: string | undefined): Child => el(name, [el("ram:IssuerAssignedID", id)]);

const headerAgreement = (invoice: EInvoice): Child =>
	el("ram:ApplicableHeaderTradeAgreement", [
		el("ram:BuyerReference", invoice.buyerReference),
		tradeParty(
			"ram:SellerTradeParty",
			invoice.seller,
			invoice.seller.taxRegistrationId,
			invoice.seller.additionalLegalInformation,
		),
		tradeParty("ram:BuyerTradeParty", invoice.buyer),
		referencedDocument("ram:SellerOrderReferencedDocument", invoice.salesOrderReference),
		referencedDocument("ram:BuyerOrderReferencedDocument", invoice.purchaseOrderReference),
		referencedDocument("ram:ContractReferencedDocument", invoice.contractReference),
		el("ram:SpecifiedProcuringProject", [
			el("ram:ID", invoice.projectReference),
			// D16B requires the project's name; EN 16931 has none, so the reference names itself.
			el("ram:Name", invoice.projectReference),
		]),
	]);

function headerDelivery(invoice: EInvoice): Child {
	const value = invoice.delivery;
	// The element is mandatory in CII even when there is nothing to say about delivery.
	const empty: XmlElement = { name: "ram:ApplicableHeaderTradeDelivery", attributes: [], content: [] };
	if (!value) return empty;
	return (
		el("ram:ApplicableHeaderTradeDelivery", [
			el("ram:ShipToTradeParty", [
				el("ram:ID", value.locationId && !value.locationId.scheme ? value.locationId.value : undefined),
				el("ram:GlobalID", value.locationId?.scheme ? value.locationId.value : undefined, {
					schemeID: value.locationId?.scheme,
				}),
				el("ram:Name", value.partyName),
				address(value.address),
			]),
			el("ram:ActualDeliverySupplyChainEvent", [date("ram:OccurrenceDateTime", value.date)]),
		]) ?? empty
	);
}

function paymentMeans(invoice: EInvoice): Child[] {
	const value = invoice.paymentInstructions;
	if (!value) return [];
	const means = (account: Child, institution: Child): Child =>
		el("ram:SpecifiedTradeSettlementPaymentMeans", [
			el("ram:TypeCode", value.meansCode),
			el("ram:Information", value.meansText),
			value.card
				? el("ram:ApplicableTradeSettlementFinancialCard", [
						el("ram:ID", value.card.primaryAccountNumber),
						el("ram:CardholderName", value.card.holderName),
					])
				: undefined,
			el("ram:PayerPartyDebtorFinancialAccount", [el("ram:IBANID", value.directDebit?.debitedAccountId)]),
			account,
			institution,
		]);
	const accounts = value.creditTransfers ?? [];
	if (accounts.length === 0) return [means(undefined, undefined)];
	return accounts.map((account) =>
		means(
			el("ram:PayeePartyCreditorFinancialAccount", [
				el("ram:IBANID", account.accountId),
				el("ram:AccountName", account.accountName),
			]),
			el("ram:PayeeSpecifiedCreditorFinancialInstitution", [el("ram:BICID", account.serviceProviderId)]),
		),
	);
}

const percentText = (category: VatCategory): string | undefined =>
	category.code === "O" ? undefined : decimalText(category.ratePercent);

const headerTax = (entry: VatBreakdown, amount: Amount): Child =>
	el("ram:ApplicableTradeTax", [
		amount("ram:CalculatedAmount", entry.taxAmount),
		el("ram:TypeCode", "VAT"),
		el("ram:ExemptionReason", entry.exemptionReason),
		amount("ram:BasisAmount", entry.taxableAmount),
		el("ram:CategoryCode", entry.category.code),
		el("ram:ExemptionReasonCode", entry.exemptionReasonCode),
		el("ram:RateApplicablePercent", percentText(entry.category)),
	]);

const categoryTax = (name: string, category: VatCategory): Child =>
	el(name, [
		el("ram:TypeCode", "VAT"),
		el("ram:CategoryCode", category.code),
		el("ram:RateApplicablePercent", percentText(category)),
	]);

function allowanceCharge(
	value: DocumentAllowanceCharge | LineAllowanceCharge,
	charge: boolean,
	amount: Amount,
	vat?: VatCategory,
): Child {
	return el("ram:SpecifiedTradeAllowanceCharge", [
		el("ram:ChargeIndicator", [el("udt:Indicator", String(charge))]),
		el("ram:CalculationPercent", decimalText(value.percent)),
		amount("ram:BasisAmount", value.baseAmount),
		amount("ram:ActualAmount", value.amount),
		el("ram:ReasonCode", value.reasonCode),
		el("ram:Reason", value.reason),
		vat ? categoryTax("ram:CategoryTradeTax", vat) : undefined,
	]);
}

function lineItem(line: InvoiceLine, amount: Amount): Child {
	const { netPrice, grossPrice, discount, baseQuantity, baseQuantityUnitCode } = line.price;
	const basisQuantity = el("ram:BasisQuantity", decimalText(baseQuantity), {
		unitCode: baseQuantityUnitCode ?? line.unitCode,
	});
	const priceText = (value: Decimal | undefined) => decimalText(value);
	return el("ram:IncludedSupplyChainTradeLineItem", [
		el("ram:AssociatedDocumentLineDocument", [
			el("ram:LineID", line.id),
			el("ram:IncludedNote", [el("ram:Content", line.note)]),
		]),
		el("ram:SpecifiedTradeProduct", [
			el("ram:GlobalID", line.item.standardId?.value, { schemeID: line.item.standardId?.scheme }),
			el("ram:SellerAssignedID", line.item.sellerId),
			el("ram:BuyerAssignedID", line.item.buyerId),
			el("ram:Name", line.item.name),
			el("ram:Description", line.item.description),
			...(line.item.classifications ?? []).map((c) =>
				el("ram:DesignatedProductClassification", [el("ram:ClassCode", c.code, { listID: c.listId })]),
			),
			el("ram:OriginTradeCountry", [el("ram:ID", line.item.originCountry)]),
		]),
		el("ram:SpecifiedLineTradeAgreement", [
			el("ram:BuyerOrderReferencedDocument", [el("ram:LineID", line.orderLineReference)]),
			grossPrice
				? el("ram:GrossPriceProductTradePrice", [
						el("ram:ChargeAmount", priceText(grossPrice)),
						basisQuantity,
						discount
							? el("ram:AppliedTradeAllowanceCharge", [
									el("ram:ChargeIndicator", [el("udt:Indicator", "false")]),
									el("ram:ActualAmount", priceText(discount)),
								])
							: undefined,
					])
				: undefined,
			el("ram:NetPriceProductTradePrice", [el("ram:ChargeAmount", priceText(netPrice)), basisQuantity]),
		]),
		el("ram:SpecifiedLineTradeDelivery", [
			el("ram:BilledQuantity", decimalText(line.quantity), { unitCode: line.unitCode }),
		]),
		el("ram:SpecifiedLineTradeSettlement", [
			categoryTax("ram:ApplicableTradeTax", line.vat),
			period("ram:BillingSpecifiedPeriod", line.period),
			...(line.allowances ?? []).map((a) => allowanceCharge(a, false, amount)),
			...(line.charges ?? []).map((c) => allowanceCharge(c, true, amount)),
			el("ram:SpecifiedTradeSettlementLineMonetarySummation", [amount("ram:LineTotalAmount", line.netAmount)]),
			el("ram:ReceivableSpecifiedTradeAccountingAccount", [el("ram:ID", line.accountingReference)]),
		]),
	]);
}
