// Reads a UBL 2.1 or CII D16B document into the facts the rule checks judge, and checks it: the one
// implementation the fixture tests and the official-example tests share.
import { DOMParser } from "@xmldom/xmldom";
import * as xpath from "xpath";
import { checkRules, declaredRuleSets, type Finding, type InvoiceFacts } from "../../../src/documents/einvoice/rules";
import { type Decimal, parseDecimal } from "../../../src/domain/decimal";

const NAMESPACES = {
	inv: "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
	cn: "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
	cac: "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
	cbc: "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
	rsm: "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
	ram: "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
	udt: "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
	qdt: "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
};
const select = xpath.useNamespaces(NAMESPACES);

type Context = Node;
const nodes = (expression: string, context: Context): Node[] => select(expression, context) as Node[];
const node = (expression: string, context: Context): Node | undefined => nodes(expression, context)[0];

function text(expression: string, context: Context): string | undefined {
	const found = node(expression, context);
	const value = found?.textContent?.trim();
	return value === undefined || value === "" ? undefined : value;
}

const attribute = (expression: string, name: string, context: Context): string | undefined => {
	const found = node(expression, context) as Element | undefined;
	return found?.getAttribute(name)?.trim() || undefined;
};

function decimal(expression: string, context: Context): Decimal | undefined {
	const value = text(expression, context);
	return value === undefined ? undefined : (parseDecimal(value, 20) ?? undefined);
}

const indicator = (value: string | undefined): boolean => value?.toLowerCase() === "true";
/** CII format 102 (YYYYMMDD) as YYYY-MM-DD. */
const isoDate = (value: string | undefined): string | undefined =>
	value && /^\d{8}$/.test(value) ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}` : value;
const schemed = (expression: string, attr: string, context: Context) => {
	const value = text(expression, context);
	return value === undefined ? undefined : { value, scheme: attribute(expression, attr, context) };
};
const defined = <T>(values: (T | undefined)[]): T[] => values.filter((v): v is T => v !== undefined);

// ---------------------------------------------------------------- UBL

function ublAddress(context: Context | undefined) {
	if (!context) return undefined;
	return {
		line1: text("cbc:StreetName", context),
		line2: text("cbc:AdditionalStreetName", context),
		line3: text("cac:AddressLine/cbc:Line", context),
		city: text("cbc:CityName", context),
		postalCode: text("cbc:PostalZone", context),
		subdivision: text("cbc:CountrySubentity", context),
		countryCode: text("cac:Country/cbc:IdentificationCode", context),
	};
}

function ublParty(context: Context | undefined) {
	if (!context) return undefined;
	const contact = node("cac:Contact", context);
	return {
		name: text("cac:PartyLegalEntity/cbc:RegistrationName", context),
		tradingName: text("cac:PartyName/cbc:Name", context),
		identifiers: nodes("cac:PartyIdentification", context).map((id) => ({
			value: text("cbc:ID", id),
			scheme: attribute("cbc:ID", "schemeID", id),
		})),
		legalRegistrationId: schemed("cac:PartyLegalEntity/cbc:CompanyID", "schemeID", context),
		vatId: text("cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID", context),
		taxRegistrationId: text("cac:PartyTaxScheme[cac:TaxScheme/cbc:ID!='VAT']/cbc:CompanyID", context),
		additionalLegalInformation: text("cac:PartyLegalEntity/cbc:CompanyLegalForm", context),
		electronicAddress: schemed("cbc:EndpointID", "schemeID", context),
		address: ublAddress(node("cac:PostalAddress", context)),
		contact: contact && {
			name: text("cbc:Name", contact),
			telephone: text("cbc:Telephone", contact),
			email: text("cbc:ElectronicMail", contact),
		},
	};
}

const ublCategory = (context: Context | undefined) =>
	context && { code: text("cbc:ID", context) as never, ratePercent: decimal("cbc:Percent", context) };

const ublPeriod = (context: Context | undefined) =>
	context && { start: text("cbc:StartDate", context), end: text("cbc:EndDate", context) };

function ublAllowanceCharges(context: Context, charge: boolean) {
	return nodes("cac:AllowanceCharge", context)
		.filter((ac) => indicator(text("cbc:ChargeIndicator", ac)) === charge)
		.map((ac) => ({
			amount: decimal("cbc:Amount", ac),
			baseAmount: decimal("cbc:BaseAmount", ac),
			percent: decimal("cbc:MultiplierFactorNumeric", ac),
			reason: text("cbc:AllowanceChargeReason", ac),
			reasonCode: text("cbc:AllowanceChargeReasonCode", ac),
			vat: ublCategory(node("cac:TaxCategory", ac)),
		}));
}

function readUbl(root: Element): InvoiceFacts {
	const currency = text("cbc:DocumentCurrencyCode", root);
	const taxCurrency = text("cbc:TaxCurrencyCode", root);
	const means = nodes("cac:PaymentMeans", root);
	const firstMeans = means[0];
	const mandate = firstMeans && node("cac:PaymentMandate", firstMeans);
	const card = firstMeans && node("cac:CardAccount", firstMeans);
	const supplier = node("cac:AccountingSupplierParty/cac:Party", root);
	const delivery = node("cac:Delivery", root);
	const totals = node("cac:LegalMonetaryTotal", root) ?? root;
	return {
		syntax: "UBL",
		specificationId: text("cbc:CustomizationID", root),
		profileId: text("cbc:ProfileID", root),
		number: text("cbc:ID", root),
		issueDate: text("cbc:IssueDate", root),
		typeCode: text("cbc:InvoiceTypeCode | cbc:CreditNoteTypeCode", root) as never,
		currency,
		taxCurrency: taxCurrency
			? { currency: taxCurrency, vatTotal: decimal(`cac:TaxTotal/cbc:TaxAmount[@currencyID='${taxCurrency}']`, root) }
			: undefined,
		vatPointDate: text("cbc:TaxPointDate", root),
		dueDate: text("cbc:DueDate", root) ?? text("cac:PaymentMeans/cbc:PaymentDueDate", root),
		buyerReference: text("cbc:BuyerReference", root),
		projectReference: text("cac:ProjectReference/cbc:ID", root),
		contractReference: text("cac:ContractDocumentReference/cbc:ID", root),
		purchaseOrderReference: text("cac:OrderReference/cbc:ID", root),
		salesOrderReference: text("cac:OrderReference/cbc:SalesOrderID", root),
		buyerAccountingReference: text("cbc:AccountingCost", root),
		paymentTerms: text("cac:PaymentTerms/cbc:Note", root),
		notes: nodes("cbc:Note", root).map((n) => ({ text: n.textContent ?? "" })),
		precedingInvoices: nodes("cac:BillingReference/cac:InvoiceDocumentReference", root).map((ref) => ({
			number: text("cbc:ID", ref),
			issueDate: text("cbc:IssueDate", ref),
		})),
		seller: ublParty(supplier),
		buyer: ublParty(node("cac:AccountingCustomerParty/cac:Party", root)),
		delivery: delivery && {
			date: text("cbc:ActualDeliveryDate", delivery),
			partyName: text("cac:DeliveryParty/cac:PartyName/cbc:Name", delivery),
			locationId: schemed("cac:DeliveryLocation/cbc:ID", "schemeID", delivery),
			address: ublAddress(node("cac:DeliveryLocation/cac:Address", delivery)),
		},
		invoicingPeriod: ublPeriod(node("cac:InvoicePeriod", root)),
		paymentInstructions: firstMeans && {
			meansCode: text("cbc:PaymentMeansCode", firstMeans),
			meansText: attribute("cbc:PaymentMeansCode", "name", firstMeans),
			remittanceInformation: text("cbc:PaymentID", firstMeans),
			creditTransfers: defined(means.map((m) => node("cac:PayeeFinancialAccount", m))).map((account) => ({
				accountId: text("cbc:ID", account),
				accountName: text("cbc:Name", account),
				serviceProviderId: text("cac:FinancialInstitutionBranch/cbc:ID", account),
			})),
			card: card && {
				primaryAccountNumber: text("cbc:PrimaryAccountNumberID", card),
				network: text("cbc:NetworkID", card),
				holderName: text("cbc:HolderName", card),
			},
			directDebit: mandate && {
				mandateReference: text("cbc:ID", mandate),
				debitedAccountId: text("cac:PayerFinancialAccount/cbc:ID", mandate),
				creditorId:
					text("cac:PartyIdentification/cbc:ID[@schemeID='SEPA']", supplier ?? root) ??
					text("cac:PayeeParty/cac:PartyIdentification/cbc:ID[@schemeID='SEPA']", root),
			},
		},
		allowances: ublAllowanceCharges(root, false),
		charges: ublAllowanceCharges(root, true),
		totals: {
			lineNetTotal: decimal("cbc:LineExtensionAmount", totals),
			allowanceTotal: decimal("cbc:AllowanceTotalAmount", totals),
			chargeTotal: decimal("cbc:ChargeTotalAmount", totals),
			taxExclusive: decimal("cbc:TaxExclusiveAmount", totals),
			vatTotal: decimal(`cac:TaxTotal/cbc:TaxAmount[@currencyID='${currency}']`, root),
			taxInclusive: decimal("cbc:TaxInclusiveAmount", totals),
			prepaid: decimal("cbc:PrepaidAmount", totals),
			rounding: decimal("cbc:PayableRoundingAmount", totals),
			payable: decimal("cbc:PayableAmount", totals),
		},
		vatBreakdown: nodes("cac:TaxTotal/cac:TaxSubtotal", root).map((subtotal) => ({
			category: ublCategory(node("cac:TaxCategory", subtotal)),
			taxableAmount: decimal("cbc:TaxableAmount", subtotal),
			taxAmount: decimal("cbc:TaxAmount", subtotal),
			exemptionReason: text("cac:TaxCategory/cbc:TaxExemptionReason", subtotal),
			exemptionReasonCode: text("cac:TaxCategory/cbc:TaxExemptionReasonCode", subtotal),
		})),
		lines: nodes("cac:InvoiceLine | cac:CreditNoteLine", root).map((line) => {
			const quantity = "cbc:InvoicedQuantity | cbc:CreditedQuantity";
			const price = node("cac:Price", line);
			const priceDiscount = price && node("cac:AllowanceCharge", price);
			return {
				id: text("cbc:ID", line),
				note: text("cbc:Note", line),
				quantity: decimal(quantity, line),
				unitCode: attribute(quantity, "unitCode", line),
				netAmount: decimal("cbc:LineExtensionAmount", line),
				accountingReference: text("cbc:AccountingCost", line),
				orderLineReference: text("cac:OrderLineReference/cbc:LineID", line),
				period: ublPeriod(node("cac:InvoicePeriod", line)),
				allowances: ublAllowanceCharges(line, false),
				charges: ublAllowanceCharges(line, true),
				price: price && {
					netPrice: decimal("cbc:PriceAmount", price),
					baseQuantity: decimal("cbc:BaseQuantity", price),
					baseQuantityUnitCode: attribute("cbc:BaseQuantity", "unitCode", price),
					grossPrice: priceDiscount && decimal("cbc:BaseAmount", priceDiscount),
					discount: priceDiscount && decimal("cbc:Amount", priceDiscount),
				},
				vat: ublCategory(node("cac:Item/cac:ClassifiedTaxCategory", line)),
				item: {
					name: text("cac:Item/cbc:Name", line),
					description: text("cac:Item/cbc:Description", line),
					sellerId: text("cac:Item/cac:SellersItemIdentification/cbc:ID", line),
					buyerId: text("cac:Item/cac:BuyersItemIdentification/cbc:ID", line),
					standardId: schemed("cac:Item/cac:StandardItemIdentification/cbc:ID", "schemeID", line),
					classifications: nodes("cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode", line).map((c) => ({
						code: c.textContent ?? "",
						listId: (c as Element).getAttribute("listID") ?? undefined,
					})),
					originCountry: text("cac:Item/cac:OriginCountry/cbc:IdentificationCode", line),
				},
			};
		}),
	};
}

// ---------------------------------------------------------------- CII

function ciiAddress(context: Context | undefined) {
	if (!context) return undefined;
	return {
		line1: text("ram:LineOne", context),
		line2: text("ram:LineTwo", context),
		line3: text("ram:LineThree", context),
		city: text("ram:CityName", context),
		postalCode: text("ram:PostcodeCode", context),
		subdivision: text("ram:CountrySubDivisionName", context),
		countryCode: text("ram:CountryID", context),
	};
}

function ciiParty(context: Context | undefined) {
	if (!context) return undefined;
	const contact = node("ram:DefinedTradeContact", context);
	return {
		name: text("ram:Name", context),
		tradingName: text("ram:SpecifiedLegalOrganization/ram:TradingBusinessName", context),
		identifiers: [
			...nodes("ram:ID", context).map((id) => ({ value: id.textContent?.trim() })),
			...nodes("ram:GlobalID", context).map((id) => ({
				value: id.textContent?.trim(),
				scheme: (id as Element).getAttribute("schemeID") ?? undefined,
			})),
		],
		legalRegistrationId: schemed("ram:SpecifiedLegalOrganization/ram:ID", "schemeID", context),
		vatId: text("ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']", context),
		taxRegistrationId: text("ram:SpecifiedTaxRegistration/ram:ID[@schemeID='FC']", context),
		additionalLegalInformation: text("ram:Description", context),
		electronicAddress: schemed("ram:URIUniversalCommunication/ram:URIID", "schemeID", context),
		address: ciiAddress(node("ram:PostalTradeAddress", context)),
		contact: contact && {
			name: text("ram:PersonName", contact),
			telephone: text("ram:TelephoneUniversalCommunication/ram:CompleteNumber", contact),
			email: text("ram:EmailURIUniversalCommunication/ram:URIID", contact),
		},
	};
}

const ciiCategory = (context: Context | undefined) =>
	context && {
		code: text("ram:CategoryCode", context) as never,
		ratePercent: decimal("ram:RateApplicablePercent", context),
	};

const ciiPeriod = (context: Context | undefined) =>
	context && {
		start: isoDate(text("ram:StartDateTime/udt:DateTimeString", context)),
		end: isoDate(text("ram:EndDateTime/udt:DateTimeString", context)),
	};

function ciiAllowanceCharges(context: Context, charge: boolean) {
	return nodes("ram:SpecifiedTradeAllowanceCharge", context)
		.filter((ac) => indicator(text("ram:ChargeIndicator/udt:Indicator", ac)) === charge)
		.map((ac) => ({
			amount: decimal("ram:ActualAmount", ac),
			baseAmount: decimal("ram:BasisAmount", ac),
			percent: decimal("ram:CalculationPercent", ac),
			reason: text("ram:Reason", ac),
			reasonCode: text("ram:ReasonCode", ac),
			vat: ciiCategory(node("ram:CategoryTradeTax", ac)),
		}));
}

function readCii(root: Element): InvoiceFacts {
	const documentNode = node("rsm:ExchangedDocument", root) ?? root;
	const transaction = node("rsm:SupplyChainTradeTransaction", root) ?? root;
	const agreement = node("ram:ApplicableHeaderTradeAgreement", transaction) ?? transaction;
	const deliveryNode = node("ram:ApplicableHeaderTradeDelivery", transaction);
	const settlement = node("ram:ApplicableHeaderTradeSettlement", transaction) ?? transaction;
	const summation = node("ram:SpecifiedTradeSettlementHeaderMonetarySummation", settlement) ?? settlement;
	const currency = text("ram:InvoiceCurrencyCode", settlement);
	const taxCurrency = text("ram:TaxCurrencyCode", settlement);
	const means = nodes("ram:SpecifiedTradeSettlementPaymentMeans", settlement);
	const firstMeans = means[0];
	const card = firstMeans && node("ram:ApplicableTradeSettlementFinancialCard", firstMeans);
	const mandateReference = text("ram:SpecifiedTradePaymentTerms/ram:DirectDebitMandateID", settlement);
	const debitedAccount = firstMeans && text("ram:PayerPartyDebtorFinancialAccount/ram:IBANID", firstMeans);
	const shipTo = deliveryNode && node("ram:ShipToTradeParty", deliveryNode);
	const deliveryDate =
		deliveryNode && text("ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString", deliveryNode);
	const paymentTerms = nodes("ram:SpecifiedTradePaymentTerms/ram:Description", settlement).map(
		(n) => n.textContent ?? "",
	);
	return {
		syntax: "CII",
		specificationId: text("rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", root),
		profileId: text("rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID", root),
		number: text("ram:ID", documentNode),
		issueDate: isoDate(text("ram:IssueDateTime/udt:DateTimeString", documentNode)),
		typeCode: text("ram:TypeCode", documentNode) as never,
		currency,
		taxCurrency: taxCurrency
			? { currency: taxCurrency, vatTotal: decimal(`ram:TaxTotalAmount[@currencyID='${taxCurrency}']`, summation) }
			: undefined,
		dueDate: isoDate(text("ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString", settlement)),
		buyerReference: text("ram:BuyerReference", agreement),
		projectReference: text("ram:SpecifiedProcuringProject/ram:ID", agreement),
		contractReference: text("ram:ContractReferencedDocument/ram:IssuerAssignedID", agreement),
		purchaseOrderReference: text("ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID", agreement),
		salesOrderReference: text("ram:SellerOrderReferencedDocument/ram:IssuerAssignedID", agreement),
		buyerAccountingReference: text("ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID", settlement),
		paymentTerms: paymentTerms.length ? paymentTerms.join("\n") : undefined,
		notes: nodes("ram:IncludedNote", documentNode).map((n) => ({
			text: text("ram:Content", n) ?? "",
			subjectCode: text("ram:SubjectCode", n),
		})),
		precedingInvoices: nodes("ram:InvoiceReferencedDocument", settlement).map((ref) => ({
			number: text("ram:IssuerAssignedID", ref),
			issueDate: isoDate(text("ram:FormattedIssueDateTime/qdt:DateTimeString", ref)),
		})),
		seller: ciiParty(node("ram:SellerTradeParty", agreement)),
		buyer: ciiParty(node("ram:BuyerTradeParty", agreement)),
		delivery:
			shipTo || deliveryDate
				? {
						date: isoDate(deliveryDate),
						partyName: shipTo && text("ram:Name", shipTo),
						address: ciiAddress(shipTo && node("ram:PostalTradeAddress", shipTo)),
					}
				: undefined,
		invoicingPeriod: ciiPeriod(node("ram:BillingSpecifiedPeriod", settlement)),
		paymentInstructions: firstMeans && {
			meansCode: text("ram:TypeCode", firstMeans),
			meansText: text("ram:Information", firstMeans),
			remittanceInformation: text("ram:PaymentReference", settlement),
			creditTransfers: defined(means.map((m) => node("ram:PayeePartyCreditorFinancialAccount", m))).map(
				(account, i) => ({
					accountId: text("ram:IBANID", account) ?? text("ram:ProprietaryID", account),
					accountName: text("ram:AccountName", account),
					serviceProviderId: means[i] && text("ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID", means[i]),
				}),
			),
			card: card && {
				primaryAccountNumber: text("ram:ID", card),
				holderName: text("ram:CardholderName", card),
			},
			directDebit:
				mandateReference || debitedAccount
					? {
							mandateReference,
							debitedAccountId: debitedAccount,
							creditorId: text("ram:CreditorReferenceID", settlement),
						}
					: undefined,
		},
		allowances: ciiAllowanceCharges(settlement, false),
		charges: ciiAllowanceCharges(settlement, true),
		totals: {
			lineNetTotal: decimal("ram:LineTotalAmount", summation),
			allowanceTotal: decimal("ram:AllowanceTotalAmount", summation),
			chargeTotal: decimal("ram:ChargeTotalAmount", summation),
			taxExclusive: decimal("ram:TaxBasisTotalAmount", summation),
			vatTotal:
				decimal(`ram:TaxTotalAmount[@currencyID='${currency}']`, summation) ??
				decimal("ram:TaxTotalAmount[not(@currencyID)]", summation),
			taxInclusive: decimal("ram:GrandTotalAmount", summation),
			prepaid: decimal("ram:TotalPrepaidAmount", summation),
			rounding: decimal("ram:RoundingAmount", summation),
			payable: decimal("ram:DuePayableAmount", summation),
		},
		vatBreakdown: nodes("ram:ApplicableTradeTax", settlement).map((tax) => ({
			category: ciiCategory(tax),
			taxableAmount: decimal("ram:BasisAmount", tax),
			taxAmount: decimal("ram:CalculatedAmount", tax),
			exemptionReason: text("ram:ExemptionReason", tax),
			exemptionReasonCode: text("ram:ExemptionReasonCode", tax),
		})),
		lines: nodes("ram:IncludedSupplyChainTradeLineItem", transaction).map((line) => {
			const product = node("ram:SpecifiedTradeProduct", line) ?? line;
			const lineAgreement = node("ram:SpecifiedLineTradeAgreement", line) ?? line;
			const lineSettlement = node("ram:SpecifiedLineTradeSettlement", line) ?? line;
			const net = node("ram:NetPriceProductTradePrice", lineAgreement);
			const gross = node("ram:GrossPriceProductTradePrice", lineAgreement);
			const quantity = "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity";
			return {
				id: text("ram:AssociatedDocumentLineDocument/ram:LineID", line),
				note: text("ram:AssociatedDocumentLineDocument/ram:IncludedNote/ram:Content", line),
				quantity: decimal(quantity, line),
				unitCode: attribute(quantity, "unitCode", line),
				netAmount: decimal("ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount", lineSettlement),
				accountingReference: text("ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID", lineSettlement),
				orderLineReference: text("ram:BuyerOrderReferencedDocument/ram:LineID", lineAgreement),
				period: ciiPeriod(node("ram:BillingSpecifiedPeriod", lineSettlement)),
				allowances: ciiAllowanceCharges(lineSettlement, false),
				charges: ciiAllowanceCharges(lineSettlement, true),
				price: net && {
					netPrice: decimal("ram:ChargeAmount", net),
					baseQuantity: decimal("ram:BasisQuantity", net),
					baseQuantityUnitCode: attribute("ram:BasisQuantity", "unitCode", net),
					grossPrice: gross && decimal("ram:ChargeAmount", gross),
					discount: gross && decimal("ram:AppliedTradeAllowanceCharge/ram:ActualAmount", gross),
				},
				vat: ciiCategory(node("ram:ApplicableTradeTax", lineSettlement)),
				item: {
					name: text("ram:Name", product),
					description: text("ram:Description", product),
					sellerId: text("ram:SellerAssignedID", product),
					buyerId: text("ram:BuyerAssignedID", product),
					standardId: schemed("ram:GlobalID", "schemeID", product),
					classifications: nodes("ram:DesignatedProductClassification/ram:ClassCode", product).map((c) => ({
						code: c.textContent ?? "",
						listId: (c as Element).getAttribute("listID") ?? undefined,
					})),
					originCountry: text("ram:OriginTradeCountry/ram:ID", product),
				},
			};
		}),
	};
}

/** The facts of a UBL Invoice/CreditNote or a CII CrossIndustryInvoice, or the reason it is neither. */
export function readInvoice(xml: string): InvoiceFacts | Finding {
	let root: Element;
	try {
		root = new DOMParser().parseFromString(xml, "text/xml").documentElement as unknown as Element;
	} catch (error) {
		return { rule: "NOT-WELL-FORMED", message: String(error) };
	}
	const kind = `${root.namespaceURI} ${root.localName}`;
	if (kind === `${NAMESPACES.inv} Invoice` || kind === `${NAMESPACES.cn} CreditNote`) return readUbl(root);
	if (kind === `${NAMESPACES.rsm} CrossIndustryInvoice`) return readCii(root);
	return { rule: "UNKNOWN-SYNTAX", message: `root element {${root.namespaceURI}}${root.localName} is not an invoice` };
}

/** Every rule the document breaks, under the rule sets its BT-24 declares (as the official validators
 * select them) plus any `extra` ones. */
export function checkDocument(xml: string, extra: ("peppol" | "xrechnung")[] = []): Finding[] {
	const facts = readInvoice(xml);
	if ("rule" in facts) return [facts];
	return checkRules(facts, [...declaredRuleSets(facts.specificationId), ...extra]);
}
