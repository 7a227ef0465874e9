// An issued invoice or credit note, the seller's legal profile and the buyer, as the EN 16931 model.
// Pure: the caller loads the rows. The file states the document as it was issued (payments made later
// do not change it), so a stored rendering stays true.
import type {
	BillingAddress,
	creditNotes,
	customers,
	InvoiceLineTax,
	invoiceLines,
	invoices,
	LegalProfile,
} from "../../db/schema";
import { type Decimal, formatDecimal, parseDecimal, sumDecimals } from "../../domain/decimal";
import { RATE_SCALE } from "../../domain/invoiceTotals";
import { allocate, taxOf } from "../../domain/tax/rounding";
import type {
	BuyerParty,
	EInvoice,
	InvoiceLine,
	PaymentInstructions,
	PostalAddress,
	SellerParty,
	VatBreakdown,
	VatCategory,
} from "./model";
import { minorUnitsToDecimal } from "./xml";

type CustomerRow = typeof customers.$inferSelect;
type InvoiceRow = typeof invoices.$inferSelect;
type InvoiceLineRow = typeof invoiceLines.$inferSelect;
type CreditNoteRow = typeof creditNotes.$inferSelect;

/** The seller as its tenant describes itself. */
export type SellerData = {
	name: string;
	legalProfile: LegalProfile | null;
	/** Where the tenant is established for tax (settings.tax_origin_country), when its address says nothing. */
	originCountry: string | null;
};

/**
 * A line's VAT category and rate: the category the tax engine gave it (reverse charge, exempt, export…),
 * else standard when it bears tax and zero rated when it does not. The rate is the line's rates summed
 * (its jurisdictions' shares of one VAT).
 */
export function lineVatCategory(line: Pick<InvoiceLineRow, "taxes" | "taxCategory">): VatCategory {
	const ratePercent = sumRates(line.taxes);
	return { code: line.taxCategory ?? (ratePercent.units > 0n ? "S" : "Z"), ratePercent };
}

/** What BG-23 needs of a stored line: its category, amounts, and the exemption the engine gave it. */
const breakdownLine = (line: InvoiceLineRow, taxAmount: number) => ({
	vat: lineVatCategory(line),
	netAmount: line.netAmount,
	taxAmount,
	exemptionReason: line.taxExemptionReason ?? undefined,
	exemptionReasonCode: line.taxExemptionReasonCode ?? undefined,
});

const sumRates = (taxes: readonly Pick<InvoiceLineTax, "rate">[]): Decimal =>
	sumDecimals(taxes.map((tax) => parseDecimal(tax.rate, RATE_SCALE) ?? { units: 0n, scale: 0 }));

/** A VAT id starts with its country's ISO code (BR-CO-9); anything else is a local tax number. */
const looksLikeVatId = (taxId: string) => /^[A-Z]{2}[0-9A-Z+*.]{2,13}$/.test(taxId.replace(/[\s-]/g, ""));
const compact = (taxId: string) => taxId.replace(/[\s-]/g, "");

function postalAddress(address: BillingAddress | null | undefined, fallbackCountry: string | null): PostalAddress {
	return {
		line1: address?.line1,
		line2: address?.line2,
		city: address?.city,
		postalCode: address?.postal_code,
		subdivision: address?.state,
		countryCode: address?.country ?? fallbackCountry ?? "",
	};
}

export function sellerParty({ name, legalProfile: profile, originCountry }: SellerData): SellerParty {
	const taxId = profile?.tax_id ?? null;
	const vatId = taxId && looksLikeVatId(taxId) ? compact(taxId) : undefined;
	const contact = profile?.contact;
	return {
		name: profile?.legal_name ?? name,
		tradingName: profile && profile.legal_name !== name ? name : undefined,
		vatId,
		taxRegistrationId: taxId && !vatId ? taxId : undefined,
		legalRegistrationId: profile?.company_id ? { value: profile.company_id } : undefined,
		additionalLegalInformation: profile?.registration ?? undefined,
		electronicAddress: profile?.electronic_address ?? undefined,
		address: postalAddress(profile?.postal_address, originCountry ?? vatId?.slice(0, 2) ?? null),
		contact: contact
			? { name: contact.name ?? undefined, telephone: contact.phone ?? undefined, email: contact.email ?? undefined }
			: undefined,
	};
}

export function buyerParty(customer: CustomerRow): BuyerParty {
	const vatId = customer.taxId && looksLikeVatId(customer.taxId) ? compact(customer.taxId) : undefined;
	return {
		name: customer.name,
		vatId,
		electronicAddress: customer.electronicAddress ?? undefined,
		address: postalAddress(customer.billingAddress, vatId?.slice(0, 2) ?? null),
		contact: customer.email ? { email: customer.email } : undefined,
	};
}

/** SEPA credit transfer to the seller's IBAN, with the document number as the remittance information. */
function paymentInstructions(seller: SellerParty, profile: LegalProfile | null, number: string) {
	if (!profile?.iban) return undefined;
	const instructions: PaymentInstructions = {
		meansCode: "58",
		meansText: "SEPA credit transfer",
		remittanceInformation: number,
		creditTransfers: [
			{
				accountId: profile.iban.replace(/\s/g, ""),
				accountName: seller.name,
				serviceProviderId: profile.bic ?? undefined,
			},
		],
	};
	return instructions;
}

const categoryKey = (category: VatCategory) =>
	`${category.code}/${category.ratePercent ? formatDecimal(category.ratePercent) : ""}`;

/**
 * BG-23 from the lines: per category and rate, the net amounts and the tax the invoice charged on them,
 * with the exemption reason its lines carry (BT-120/121, required for E, AE, K, G and O).
 */
function vatBreakdownOf(
	lines: readonly {
		vat: VatCategory;
		netAmount: number;
		taxAmount: number;
		exemptionReason?: string;
		exemptionReasonCode?: string;
	}[],
): VatBreakdown[] {
	const entries = new Map<string, VatBreakdown>();
	for (const line of lines) {
		const key = categoryKey(line.vat);
		const entry = entries.get(key) ?? { category: line.vat, taxableAmount: 0, taxAmount: 0 };
		entry.taxableAmount += line.netAmount;
		entry.taxAmount += line.taxAmount;
		entry.exemptionReason ??= line.exemptionReason;
		entry.exemptionReasonCode ??= line.exemptionReasonCode;
		entries.set(key, entry);
	}
	return [...entries.values()];
}

const paymentTermsText = (terms: string) =>
	terms === "due_on_receipt"
		? "Due on receipt"
		: terms === "prepaid"
			? "Prepaid"
			: `Net ${terms.replace(/^net_?/, "")} days`;

/** Decimals a net unit price may take beyond the currency's before it is stated for the whole quantity. */
const EXTRA_PRICE_DECIMALS = 6;

/**
 * BT-146 (and BT-149): the unit price as stated; for a line whose price included tax, the net one EN 16931
 * asks for — its net amount before discounts over the quantity where that divides exactly, else that
 * amount as the price of the whole quantity, so quantity × price is the line's amount either way.
 */
function linePrice(
	line: Pick<InvoiceLineRow, "pricesIncludeTax" | "unitPrice" | "amount" | "quantity">,
	currency: string,
): InvoiceLine["price"] {
	if (!line.pricesIncludeTax) return { netPrice: minorUnitsToDecimal(line.unitPrice, currency) };
	const amount = minorUnitsToDecimal(line.amount, currency);
	const quantity = parseDecimal(line.quantity, 10) ?? { units: 1n, scale: 0 };
	if (quantity.units <= 0n) return { netPrice: amount };
	for (let extra = 0; extra <= EXTRA_PRICE_DECIMALS; extra++) {
		const scale = amount.scale + extra;
		// amount / quantity at `scale` decimals: (A / 10^a) / (Q / 10^q) = A × 10^(q + extra) / Q / 10^scale
		const numerator = amount.units * 10n ** BigInt(quantity.scale + extra);
		if (numerator % quantity.units === 0n) return { netPrice: { units: numerator / quantity.units, scale } };
	}
	return { netPrice: amount, baseQuantity: quantity };
}

export type IssuedInvoice = { invoice: InvoiceRow; lines: readonly InvoiceLineRow[] };

/** An issued invoice as EN 16931 sees it (type 380). */
export function invoiceToEInvoice(issued: IssuedInvoice, seller: SellerData, customer: CustomerRow): EInvoice {
	const { invoice } = issued;
	if (!invoice.number || !invoice.issueDate) throw new RangeError(`invoice ${invoice.id} is not issued`);
	const sellerP = sellerParty(seller);
	const lines = issued.lines.map((line): InvoiceLine & { taxAmount: number } => ({
		id: String(line.position + 1),
		quantity: parseDecimal(line.quantity, 10) ?? { units: 1n, scale: 0 },
		unitCode: line.unitCode,
		netAmount: line.netAmount,
		allowances: line.discountAmount > 0 ? [{ amount: line.discountAmount, reason: "Discount" }] : undefined,
		price: linePrice(line, invoice.currency),
		vat: lineVatCategory(line),
		item: { name: line.description, sellerId: line.sku ?? undefined },
		taxAmount: line.taxAmount,
	}));
	const lineNetTotal = lines.reduce((sum, line) => sum + line.netAmount, 0);
	return {
		number: invoice.number,
		issueDate: invoice.issueDate,
		typeCode: "380",
		currency: invoice.currency,
		dueDate: invoice.dueDate ?? undefined,
		buyerReference: customer.buyerReference ?? undefined,
		purchaseOrderReference: invoice.orderReference ?? undefined,
		contractReference: invoice.contractReference ?? undefined,
		paymentTerms: invoice.terms ?? paymentTermsText(invoice.paymentTerms),
		notes: invoice.memo ? [{ text: invoice.memo }] : undefined,
		seller: sellerP,
		buyer: buyerParty(customer),
		paymentInstructions: paymentInstructions(sellerP, seller.legalProfile, invoice.number),
		lines: lines.map(({ taxAmount: _, ...line }) => line),
		vatBreakdown: vatBreakdownOf(issued.lines.map((line) => breakdownLine(line, line.taxAmount))),
		totals: {
			lineNetTotal,
			taxExclusive: lineNetTotal,
			vatTotal: invoice.taxTotal,
			taxInclusive: lineNetTotal + invoice.taxTotal,
			payable: lineNetTotal + invoice.taxTotal,
		},
	};
}

const ZERO: Decimal = { units: 0n, scale: 0 };
/** Rates as integers at this scale, so that net × rate compares exactly. */
const RATE_UNITS = 10n ** BigInt(RATE_SCALE);
const rateUnits = (rate: Decimal) => (rate.units * RATE_UNITS) / 10n ** BigInt(rate.scale);

/**
 * Shares a credited net and tax over VAT rates so that each share's tax is its net at its rate: the net in
 * proportion to `weight` first, then moved from the lowest rate to the highest (or back) until the shares
 * bear the credited tax; the cents rounding leaves over go to the largest share. A credit whose tax is its
 * net at one of the rates is all at that rate.
 */
export function splitCreditByRate(
	net: number,
	tax: number,
	groups: readonly { rate: Decimal; weight: number }[],
): { net: number; tax: number }[] {
	// A credit of lines at one rate only: its tax is its net at that rate.
	const single = groups.findIndex((g) => taxOf(BigInt(net), g.rate) === BigInt(tax));
	if (single >= 0) return groups.map((_, i) => (i === single ? { net, tax } : { net: 0, tax: 0 }));
	const nets = allocate(
		BigInt(net),
		groups.map((g) => BigInt(g.weight)),
	);
	const rates = groups.map((g) => rateUnits(g.rate));
	const highest = rates.indexOf(rates.reduce((a, b) => (b > a ? b : a)));
	const lowest = rates.indexOf(rates.reduce((a, b) => (b < a ? b : a)));
	const spread = (rates[highest] ?? 0n) - (rates[lowest] ?? 0n);
	if (spread > 0n) {
		const implied = nets.reduce((sum, n, i) => sum + n * (rates[i] ?? 0n), 0n);
		const missing = BigInt(tax) * 100n * RATE_UNITS - implied;
		let move = missing / spread;
		move = move > 0n ? min(move, nets[lowest] ?? 0n) : -min(-move, nets[highest] ?? 0n);
		nets[lowest] = (nets[lowest] ?? 0n) - move;
		nets[highest] = (nets[highest] ?? 0n) + move;
	}
	const taxes = nets.map((n, i) => taxOf(n, groups[i]?.rate ?? ZERO));
	const largest = nets.indexOf(nets.reduce((a, b) => (b > a ? b : a)));
	taxes[largest] = (taxes[largest] ?? 0n) + BigInt(tax) - taxes.reduce((sum, t) => sum + t, 0n);
	return nets.map((n, i) => ({ net: Number(n), tax: Number(taxes[i] ?? 0n) }));
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);

/**
 * A credit note (type 381) naming the invoice it corrects (BT-25). It credits an amount, not lines: one
 * line per VAT rate of the invoice, sharing the credited net and tax (splitCreditByRate) so that both add
 * up to the note.
 */
export function creditNoteToEInvoice(
	note: CreditNoteRow,
	credited: IssuedInvoice,
	seller: SellerData,
	customer: CustomerRow,
): EInvoice {
	const invoiceNumber = credited.invoice.number ?? credited.invoice.id;
	const rates = vatBreakdownOf(credited.lines.map((line) => breakdownLine(line, 0))).filter(
		(entry) => entry.taxableAmount > 0,
	);
	const groups: Pick<VatBreakdown, "category" | "taxableAmount" | "exemptionReason" | "exemptionReasonCode">[] =
		rates.length > 0 ? rates : [{ category: lineVatCategory({ taxes: [], taxCategory: null }), taxableAmount: 1 }];
	const shares = splitCreditByRate(
		note.netAmount,
		note.amount - note.netAmount,
		groups.map((g) => ({ rate: g.category.ratePercent ?? ZERO, weight: g.taxableAmount })),
	);
	const kept = groups
		.map((group, i) => ({ group, share: shares[i] as { net: number; tax: number } }))
		.filter(({ share }, _, all) => share.net !== 0 || share.tax !== 0 || all.length === 1);
	const lines = kept.map(({ group, share }, i) => {
		const net = share.net;
		return {
			id: String(i + 1),
			quantity: { units: 1n, scale: 0 },
			unitCode: "C62",
			netAmount: net,
			price: { netPrice: minorUnitsToDecimal(net, note.currency) },
			vat: group.category,
			item: { name: `Credit on invoice ${invoiceNumber}: ${note.reason}` },
			taxAmount: share.tax,
			exemptionReason: group.exemptionReason,
			exemptionReasonCode: group.exemptionReasonCode,
		};
	});
	const sellerP = sellerParty(seller);
	return {
		number: note.number,
		issueDate: note.createdAt.slice(0, 10),
		typeCode: "381",
		currency: note.currency,
		buyerReference: customer.buyerReference ?? undefined,
		purchaseOrderReference: credited.invoice.orderReference ?? undefined,
		contractReference: credited.invoice.contractReference ?? undefined,
		precedingInvoices: [{ number: invoiceNumber, issueDate: credited.invoice.issueDate ?? undefined }],
		notes: [{ text: note.reason }],
		seller: sellerP,
		buyer: buyerParty(customer),
		paymentInstructions: paymentInstructions(sellerP, seller.legalProfile, note.number),
		lines: lines.map(({ taxAmount: _, exemptionReason: _r, exemptionReasonCode: _c, ...line }) => line),
		vatBreakdown: vatBreakdownOf(lines),
		totals: {
			lineNetTotal: note.netAmount,
			taxExclusive: note.netAmount,
			vatTotal: note.amount - note.netAmount,
			taxInclusive: note.amount,
			payable: note.amount,
		},
	};
}
