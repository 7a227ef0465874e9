// The EN 16931 business rules, with the Peppol BIS Billing 3.0 and XRechnung 3.0 additions, as checks
// over the semantic model. Rule ids and conditions follow the published rule texts (CEN/TC 434
// validation artefacts, OpenPEPPOL BIS 3, KoSIT XRechnung); only fatal rules are here. The same checks
// judge a model before rendering (preflight.ts) and a document read back from XML (the tests).
import { type Decimal, formatDecimal } from "../../domain/decimal";
import {
	ALLOWANCE_REASON_CODES,
	CHARGE_REASON_CODES,
	COUNTRY_CODES,
	CREDIT_NOTE_TYPE_CODES,
	CURRENCY_CODES,
	EAS_CODES,
	ICD_CODES,
	INVOICE_TYPE_CODES,
	PAYMENT_MEANS_CODES,
	UNIT_CODES,
	VAT_CATEGORY_CODES,
	VATEX_CODES,
} from "./codeLists";
import { abs, compare, decimals, divide, minus, percentOf, round, sameAmount, sum, times, ZERO } from "./decimalMath";
import type { EInvoice } from "./model";

type DeepPartial<T> = T extends Decimal
	? T
	: T extends readonly (infer U)[]
		? DeepPartial<U>[]
		: T extends object
			? { [K in keyof T]?: DeepPartial<T[K]> }
			: T;

/** What the rules see: the model with exact decimal amounts, any part possibly missing (as in a
 * document read from XML), plus the syntax-level facts some rules are about. */
export type InvoiceFacts = DeepPartial<EInvoice<Decimal>> & {
	syntax: "UBL" | "CII";
	specificationId?: string; // BT-24
	profileId?: string; // BT-23
};

export type RuleSet = "en16931" | "peppol" | "xrechnung";
export type Finding = { rule: string; message: string };

const PEPPOL_SPECIFICATION = "urn:fdc:peppol.eu:2017:poacc:billing:3.0";

/** The rule sets a document declares through BT-24, as the official validators select them. */
export function declaredRuleSets(specificationId: string | undefined): RuleSet[] {
	const sets: RuleSet[] = ["en16931"];
	if (specificationId?.includes(PEPPOL_SPECIFICATION)) sets.push("peppol");
	if (specificationId?.toLowerCase().includes("xrechnung")) sets.push("xrechnung");
	return sets;
}

export function checkRules(facts: InvoiceFacts, sets: readonly RuleSet[]): Finding[] {
	const findings: Finding[] = [];
	const require = (ok: unknown, rule: string, message: string) => {
		if (!ok) findings.push({ rule, message });
	};
	coreRules(facts, require);
	vatCategoryRules(facts, require);
	codeListRules(facts, require);
	if (sets.includes("peppol")) peppolRules(facts, require);
	if (sets.includes("xrechnung")) xrechnungRules(facts, require);
	// Peppol and XRechnung share a few rules; each finding is reported once.
	const seen = new Set<string>();
	return findings.filter((f) => !seen.has(`${f.rule} ${f.message}`) && seen.add(`${f.rule} ${f.message}`));
}

type Require = (ok: unknown, rule: string, message: string) => void;
type Line = NonNullable<InvoiceFacts["lines"]>[number];
type Charge = NonNullable<InvoiceFacts["allowances"]>[number];
type Breakdown = NonNullable<InvoiceFacts["vatBreakdown"]>[number];

const present = (value: string | undefined): boolean => value !== undefined && value.trim() !== "";
const lines = (f: InvoiceFacts): Line[] => f.lines ?? [];
const allowances = (f: InvoiceFacts): Charge[] => f.allowances ?? [];
const charges = (f: InvoiceFacts): Charge[] => f.charges ?? [];
const breakdown = (f: InvoiceFacts): Breakdown[] => f.vatBreakdown ?? [];
const isNegative = (value: Decimal | undefined): boolean => value !== undefined && value.units < 0n;

function coreRules(f: InvoiceFacts, require: Require): void {
	require(present(f.specificationId), "BR-01", "An Invoice shall have a Specification identifier (BT-24).");
	require(present(f.number), "BR-02", "An Invoice shall have an Invoice number (BT-1).");
	require(present(f.issueDate), "BR-03", "An Invoice shall have an Invoice issue date (BT-2).");
	require(present(f.typeCode), "BR-04", "An Invoice shall have an Invoice type code (BT-3).");
	require(present(f.currency), "BR-05", "An Invoice shall have an Invoice currency code (BT-5).");
	require(present(f.seller?.name), "BR-06", "An Invoice shall contain the Seller name (BT-27).");
	require(present(f.buyer?.name), "BR-07", "An Invoice shall contain the Buyer name (BT-44).");
	require(f.seller?.address, "BR-08", "An Invoice shall contain the Seller postal address (BG-5).");
	require(present(
		f.seller?.address?.countryCode,
	), "BR-09", "The Seller postal address shall contain a Seller country code (BT-40).");
	require(f.buyer?.address, "BR-10", "An Invoice shall contain the Buyer postal address (BG-8).");
	require(present(
		f.buyer?.address?.countryCode,
	), "BR-11", "The Buyer postal address shall contain a Buyer country code (BT-55).");
	const totals = f.totals ?? {};
	require(totals.lineNetTotal, "BR-12", "An Invoice shall have the Sum of Invoice line net amount (BT-106).");
	require(totals.taxExclusive, "BR-13", "An Invoice shall have the Invoice total amount without VAT (BT-109).");
	require(totals.taxInclusive, "BR-14", "An Invoice shall have the Invoice total amount with VAT (BT-112).");
	require(totals.payable, "BR-15", "An Invoice shall have the Amount due for payment (BT-115).");
	require(lines(f).length > 0, "BR-16", "An Invoice shall have at least one Invoice line (BG-25).");

	for (const line of lines(f)) {
		const at = `line ${line.id ?? "?"}`;
		require(present(line.id), "BR-21", `Each Invoice line shall have an Invoice line identifier (BT-126) (${at}).`);
		require(line.quantity, "BR-22", `Each Invoice line shall have an Invoiced quantity (BT-129) (${at}).`);
		require(present(
			line.unitCode,
		), "BR-23", `An Invoice line shall have an Invoiced quantity unit of measure code (BT-130) (${at}).`);
		require(line.netAmount, "BR-24", `Each Invoice line shall have an Invoice line net amount (BT-131) (${at}).`);
		require(present(line.item?.name), "BR-25", `Each Invoice line shall contain the Item name (BT-153) (${at}).`);
		require(line.price?.netPrice, "BR-26", `Each Invoice line shall contain the Item net price (BT-146) (${at}).`);
		require(!isNegative(line.price?.netPrice), "BR-27", `The Item net price (BT-146) shall NOT be negative (${at}).`);
		require(!isNegative(
			line.price?.grossPrice,
		), "BR-28", `The Item gross price (BT-148) shall NOT be negative (${at}).`);
		require(periodInOrder(
			line.period,
		), "BR-30", `The line period end date (BT-135) shall be on or after its start date (BT-134) (${at}).`);
		require(!line.period ||
			present(line.period.start) ||
			present(
				line.period.end,
			), "BR-CO-20", `An Invoice line period (BG-26) shall have a start or an end date (${at}).`);
		require(present(
			line.vat?.code,
		), "BR-CO-4", `Each Invoice line shall be categorized with an Invoiced item VAT category code (BT-151) (${at}).`);
		for (const a of line.allowances ?? []) {
			require(a.amount, "BR-41", `Each Invoice line allowance shall have an amount (BT-136) (${at}).`);
			require(present(a.reason) ||
				present(
					a.reasonCode,
				), "BR-42", `Each Invoice line allowance shall have a reason (BT-139) or a reason code (BT-140) (${at}).`);
		}
		for (const c of line.charges ?? []) {
			require(c.amount, "BR-43", `Each Invoice line charge shall have an amount (BT-141) (${at}).`);
			require(present(c.reason) ||
				present(
					c.reasonCode,
				), "BR-44", `Each Invoice line charge shall have a reason (BT-144) or a reason code (BT-145) (${at}).`);
		}
		require(!line.item?.standardId ||
			present(
				line.item.standardId.scheme,
			), "BR-64", `The Item standard identifier (BT-157) shall have a Scheme identifier (${at}).`);
		for (const c of line.item?.classifications ?? []) {
			require(present(
				c.listId,
			), "BR-65", `The Item classification identifier (BT-158) shall have a Scheme identifier (${at}).`);
		}
	}
	require(periodInOrder(
		f.invoicingPeriod,
	), "BR-29", "The Invoicing period end date (BT-74) shall be on or after the start date (BT-73).");
	require(!f.invoicingPeriod ||
		present(f.invoicingPeriod.start) ||
		present(f.invoicingPeriod.end), "BR-CO-19", "An Invoicing period (BG-14) shall have a start or an end date.");
	for (const a of allowances(f)) {
		require(a.amount, "BR-31", "Each Document level allowance shall have an amount (BT-92).");
		require(present(a.vat?.code), "BR-32", "Each Document level allowance shall have a VAT category code (BT-95).");
		require(present(a.reason) ||
			present(
				a.reasonCode,
			), "BR-33", "Each Document level allowance shall have a reason (BT-97) or a reason code (BT-98).");
	}
	for (const c of charges(f)) {
		require(c.amount, "BR-36", "Each Document level charge shall have an amount (BT-99).");
		require(present(c.vat?.code), "BR-37", "Each Document level charge shall have a VAT category code (BT-102).");
		require(present(c.reason) ||
			present(
				c.reasonCode,
			), "BR-38", "Each Document level charge shall have a reason (BT-104) or a reason code (BT-105).");
	}
	for (const entry of breakdown(f)) {
		require(entry.taxableAmount, "BR-45", "Each VAT breakdown shall have a VAT category taxable amount (BT-116).");
		require(entry.taxAmount, "BR-46", "Each VAT breakdown shall have a VAT category tax amount (BT-117).");
		require(present(
			entry.category?.code,
		), "BR-47", "Each VAT breakdown shall be defined through a VAT category code (BT-118).");
		require(entry.category?.code === "O" ||
			entry.category
				?.ratePercent, "BR-48", "Each VAT breakdown shall have a VAT category rate (BT-119), except if the Invoice is not subject to VAT.");
		if (entry.taxableAmount && entry.taxAmount && entry.category?.ratePercent) {
			const expected = round(percentOf(abs(entry.taxableAmount), entry.category.ratePercent), 2);
			const difference = abs(minus(abs(entry.taxAmount), expected));
			require(compare(difference, { units: 1n, scale: 0 }) <
				0, "BR-CO-17", `VAT category tax amount (BT-117) ${formatDecimal(entry.taxAmount)} shall equal the taxable amount × rate, ${formatDecimal(expected)}.`);
		}
	}
	const payment = f.paymentInstructions;
	if (payment) {
		require(present(
			payment.meansCode,
		), "BR-49", "A Payment instruction shall specify the Payment means type code (BT-81).");
		for (const account of payment.creditTransfers ?? []) {
			require(present(
				account.accountId,
			), "BR-50", "A Payment account identifier (BT-84) shall be present if Credit transfer (BG-17) information is provided.");
		}
		if (payment.meansCode === "30" || payment.meansCode === "58") {
			require((payment.creditTransfers ?? []).some((a) =>
				present(a.accountId),
			), "BR-61", "If the Payment means type code (BT-81) means SEPA credit transfer, Local credit transfer or Non-SEPA international credit transfer, the Payment account identifier (BT-84) shall be present.");
		}
	}
	require(!f.taxCurrency?.currency ||
		f.taxCurrency
			.vatTotal, "BR-53", "If the VAT accounting currency code (BT-6) is present, the Invoice total VAT amount in accounting currency (BT-111) shall be provided.");
	for (const preceding of f.precedingInvoices ?? []) {
		require(present(
			preceding.number,
		), "BR-55", "Each Preceding Invoice reference (BG-3) shall contain a Preceding Invoice reference (BT-25).");
	}
	require(!f.delivery?.address ||
		present(
			f.delivery.address.countryCode,
		), "BR-57", "Each Deliver to address (BG-15) shall contain a Deliver to country code (BT-80).");
	require(!f.seller?.electronicAddress ||
		present(
			f.seller.electronicAddress.scheme,
		), "BR-62", "The Seller electronic address (BT-34) shall have a Scheme identifier.");
	require(!f.buyer?.electronicAddress ||
		present(
			f.buyer.electronicAddress.scheme,
		), "BR-63", "The Buyer electronic address (BT-49) shall have a Scheme identifier.");
	for (const [vatId, term] of [
		[f.seller?.vatId, "BT-31"],
		[f.buyer?.vatId, "BT-48"],
	] as const) {
		require(!present(vatId) ||
			hasCountryPrefix(
				vatId ?? "",
			), "BR-CO-9", `The VAT identifier (${term}) ${vatId} shall have a prefix in accordance with ISO code ISO 3166-1 alpha-2.`);
	}
	require(breakdown(f).length > 0, "BR-CO-18", "An Invoice shall at least have one VAT breakdown group (BG-23).");
	// The official artefacts hold credit notes, which are settled by the seller, exempt from this one.
	if (totals.payable && totals.payable.units > 0n && !isCreditNote(f)) {
		require(present(f.dueDate) ||
			present(
				f.paymentTerms,
			), "BR-CO-25", "In case the Amount due for payment (BT-115) is positive, either the Payment due date (BT-9) or the Payment terms (BT-20) shall be present.");
	}
	require(present(f.seller?.vatId) ||
		f.seller?.legalRegistrationId?.value ||
		(f.seller?.identifiers ?? []).some((id) =>
			present(id.value),
		), "BR-CO-26", "In order for the buyer to automatically identify a supplier, the Seller identifier (BT-29), the Seller legal registration identifier (BT-30) and/or the Seller VAT identifier (BT-31) shall be present.");
	sumRules(f, require);
	decimalRules(f, require);
}

const isCreditNote = (f: InvoiceFacts): boolean =>
	f.typeCode !== undefined && CREDIT_NOTE_TYPE_CODES.has(f.typeCode) && !INVOICE_TYPE_CODES.has(f.typeCode);

const periodInOrder = (period: { start?: string; end?: string } | undefined): boolean =>
	!period?.start || !period.end || period.end >= period.start;

const hasCountryPrefix = (vatId: string): boolean => COUNTRY_CODES.has(vatId.slice(0, 2)) || vatId.startsWith("EL");

/** BR-CO-10…16: the document totals add up. */
function sumRules(f: InvoiceFacts, require: Require): void {
	const t = f.totals ?? {};
	const equal = (a: Decimal | undefined, b: Decimal, rule: string, text: string) => {
		if (a) require(sameAmount(a, b), rule, `${text}: ${formatDecimal(a)} ≠ ${formatDecimal(round(b, 2))}.`);
	};
	equal(
		t.lineNetTotal,
		sum(lines(f).map((l) => l.netAmount)),
		"BR-CO-10",
		"Sum of Invoice line net amount (BT-106) = Σ Invoice line net amount (BT-131)",
	);
	equal(
		t.allowanceTotal ?? (allowances(f).length ? ZERO : undefined),
		sum(allowances(f).map((a) => a.amount)),
		"BR-CO-11",
		"Sum of allowances on document level (BT-107) = Σ Document level allowance amount (BT-92)",
	);
	equal(
		t.chargeTotal ?? (charges(f).length ? ZERO : undefined),
		sum(charges(f).map((c) => c.amount)),
		"BR-CO-12",
		"Sum of charges on document level (BT-108) = Σ Document level charge amount (BT-99)",
	);
	if (t.lineNetTotal) {
		equal(
			t.taxExclusive,
			minus(sum([t.lineNetTotal, t.chargeTotal]), t.allowanceTotal ?? ZERO),
			"BR-CO-13",
			"Invoice total amount without VAT (BT-109) = BT-106 − BT-107 + BT-108",
		);
	}
	equal(
		t.vatTotal,
		sum(breakdown(f).map((b) => b.taxAmount)),
		"BR-CO-14",
		"Invoice total VAT amount (BT-110) = Σ VAT category tax amount (BT-117)",
	);
	if (t.taxExclusive) {
		equal(
			t.taxInclusive,
			sum([t.taxExclusive, t.vatTotal]),
			"BR-CO-15",
			"Invoice total amount with VAT (BT-112) = BT-109 + BT-110",
		);
	}
	if (t.taxInclusive) {
		equal(
			t.payable,
			sum([minus(t.taxInclusive, t.prepaid ?? ZERO), t.rounding]),
			"BR-CO-16",
			"Amount due for payment (BT-115) = BT-112 − BT-113 + BT-114",
		);
	}
}

/** BR-DEC-*: amounts carry at most two decimals, whatever the currency. */
function decimalRules(f: InvoiceFacts, require: Require): void {
	const atMostTwo = (value: Decimal | undefined, rule: string, term: string) =>
		require(!value ||
			decimals(value) <=
				2, rule, `The allowed maximum number of decimals for ${term} is 2 (${value ? formatDecimal(value) : ""}).`);
	for (const a of allowances(f)) {
		atMostTwo(a.amount, "BR-DEC-01", "the Document level allowance amount (BT-92)");
		atMostTwo(a.baseAmount, "BR-DEC-02", "the Document level allowance base amount (BT-93)");
	}
	for (const c of charges(f)) {
		atMostTwo(c.amount, "BR-DEC-05", "the Document level charge amount (BT-99)");
		atMostTwo(c.baseAmount, "BR-DEC-06", "the Document level charge base amount (BT-100)");
	}
	const t = f.totals ?? {};
	atMostTwo(t.lineNetTotal, "BR-DEC-09", "the Sum of Invoice line net amount (BT-106)");
	atMostTwo(t.allowanceTotal, "BR-DEC-10", "the Sum of allowances on document level (BT-107)");
	atMostTwo(t.chargeTotal, "BR-DEC-11", "the Sum of charges on document level (BT-108)");
	atMostTwo(t.taxExclusive, "BR-DEC-12", "the Invoice total amount without VAT (BT-109)");
	atMostTwo(t.vatTotal, "BR-DEC-13", "the Invoice total VAT amount (BT-110)");
	atMostTwo(t.taxInclusive, "BR-DEC-14", "the Invoice total amount with VAT (BT-112)");
	atMostTwo(f.taxCurrency?.vatTotal, "BR-DEC-15", "the Invoice total VAT amount in accounting currency (BT-111)");
	atMostTwo(t.prepaid, "BR-DEC-16", "the Paid amount (BT-113)");
	atMostTwo(t.rounding, "BR-DEC-17", "the Rounding amount (BT-114)");
	atMostTwo(t.payable, "BR-DEC-18", "the Amount due for payment (BT-115)");
	for (const entry of breakdown(f)) {
		atMostTwo(entry.taxableAmount, "BR-DEC-19", "the VAT category taxable amount (BT-116)");
		atMostTwo(entry.taxAmount, "BR-DEC-20", "the VAT category tax amount (BT-117)");
	}
	for (const line of lines(f)) {
		atMostTwo(line.netAmount, "BR-DEC-23", "the Invoice line net amount (BT-131)");
		for (const a of line.allowances ?? []) {
			atMostTwo(a.amount, "BR-DEC-24", "the Invoice line allowance amount (BT-136)");
			atMostTwo(a.baseAmount, "BR-DEC-25", "the Invoice line allowance base amount (BT-137)");
		}
		for (const c of line.charges ?? []) {
			atMostTwo(c.amount, "BR-DEC-27", "the Invoice line charge amount (BT-141)");
			atMostTwo(c.baseAmount, "BR-DEC-28", "the Invoice line charge base amount (BT-142)");
		}
	}
}

/** How each VAT category constrains an invoice (EN 16931-1 rules BR-S-*, BR-Z-*, BR-E-*, BR-AE-*,
 * BR-IC-*, BR-G-*, BR-O-*, BR-AF-*, BR-AG-*; each numbered the same way). */
type CategoryRules = {
	prefix: string;
	name: string;
	/** Z, E, AE, K, G, O: exactly one breakdown entry; S, L, M: one per rate. */
	oneBreakdown: boolean;
	rate: "positive" | "zero" | "none" | "not-negative";
	sellerVat: "required" | "vat-or-tax-registration" | "forbidden";
	buyerVat: boolean;
	/** Whether BT-120/BT-121 must (true) or must not (false) be given. */
	exemptionReason: boolean;
};

const CATEGORY_RULES: Record<string, CategoryRules> = {
	S: {
		prefix: "BR-S",
		name: "Standard rated",
		oneBreakdown: false,
		rate: "positive",
		sellerVat: "required",
		buyerVat: false,
		exemptionReason: false,
	},
	Z: {
		prefix: "BR-Z",
		name: "Zero rated",
		oneBreakdown: true,
		rate: "zero",
		sellerVat: "required",
		buyerVat: false,
		exemptionReason: false,
	},
	E: {
		prefix: "BR-E",
		name: "Exempt from VAT",
		oneBreakdown: true,
		rate: "zero",
		sellerVat: "required",
		buyerVat: false,
		exemptionReason: true,
	},
	AE: {
		prefix: "BR-AE",
		name: "Reverse charge",
		oneBreakdown: true,
		rate: "zero",
		sellerVat: "required",
		buyerVat: true,
		exemptionReason: true,
	},
	K: {
		prefix: "BR-IC",
		name: "Intra-community supply",
		oneBreakdown: true,
		rate: "zero",
		sellerVat: "required",
		buyerVat: true,
		exemptionReason: true,
	},
	G: {
		prefix: "BR-G",
		name: "Export outside the EU",
		oneBreakdown: true,
		rate: "zero",
		sellerVat: "required",
		buyerVat: false,
		exemptionReason: true,
	},
	O: {
		prefix: "BR-O",
		name: "Not subject to VAT",
		oneBreakdown: true,
		rate: "none",
		sellerVat: "forbidden",
		buyerVat: false,
		exemptionReason: true,
	},
	L: {
		prefix: "BR-AF",
		name: "IGIC",
		oneBreakdown: false,
		rate: "not-negative",
		sellerVat: "vat-or-tax-registration",
		buyerVat: false,
		exemptionReason: false,
	},
	M: {
		prefix: "BR-AG",
		name: "IPSI",
		oneBreakdown: false,
		rate: "not-negative",
		sellerVat: "vat-or-tax-registration",
		buyerVat: false,
		exemptionReason: false,
	},
};

const rateKey = (rate: Decimal | undefined): string => (rate ? formatDecimal(round(rate, 6)) : "");

function rateFits(rate: Decimal | undefined, kind: CategoryRules["rate"]): boolean {
	switch (kind) {
		case "positive":
			return rate !== undefined && rate.units > 0n;
		case "zero":
			return rate !== undefined && rate.units === 0n;
		case "none":
			return rate === undefined;
		case "not-negative":
			return rate !== undefined && rate.units >= 0n;
	}
}

function vatCategoryRules(f: InvoiceFacts, require: Require): void {
	for (const [code, rules] of Object.entries(CATEGORY_RULES)) {
		const inCategory = <T extends { vat?: { code?: string } }>(items: T[]) => items.filter((i) => i.vat?.code === code);
		const categoryLines = inCategory(lines(f));
		const categoryAllowances = inCategory(allowances(f));
		const categoryCharges = inCategory(charges(f));
		const entries = breakdown(f).filter((b) => b.category?.code === code);
		const used = categoryLines.length + categoryAllowances.length + categoryCharges.length > 0;
		const p = rules.prefix;
		const n = rules.name;
		if (used) {
			require(rules.oneBreakdown
				? entries.length === 1
				: entries.length >
						0, `${p}-01`, `An Invoice that contains an item, an allowance or a charge with VAT category "${n}" shall contain ${rules.oneBreakdown ? "exactly one" : "at least one"} VAT breakdown (BG-23) with that category.`);
		}
		const sellerHasVat = present(f.seller?.vatId);
		const sellerVatOk =
			rules.sellerVat === "required"
				? sellerHasVat
				: rules.sellerVat === "vat-or-tax-registration"
					? sellerHasVat || present(f.seller?.taxRegistrationId)
					: !sellerHasVat && !present(f.buyer?.vatId);
		const buyerVatOk = !rules.buyerVat || present(f.buyer?.vatId) || present(f.buyer?.legalRegistrationId?.value);
		const parties =
			rules.sellerVat === "forbidden"
				? "shall not contain the Seller VAT identifier (BT-31) or the Buyer VAT identifier (BT-48)"
				: `shall contain the Seller VAT identifier (BT-31)${rules.buyerVat ? " and the Buyer VAT identifier (BT-48)" : ""}`;
		const partiesOk = sellerVatOk && buyerVatOk;
		if (categoryLines.length)
			require(partiesOk, `${p}-02`, `An Invoice that contains an Invoice line with VAT category "${n}" ${parties}.`);
		if (categoryAllowances.length)
			require(partiesOk, `${p}-03`, `An Invoice that contains a Document level allowance with VAT category "${n}" ${parties}.`);
		if (categoryCharges.length)
			require(partiesOk, `${p}-04`, `An Invoice that contains a Document level charge with VAT category "${n}" ${parties}.`);
		const rateText = {
			positive: "greater than zero",
			zero: "0 (zero)",
			none: "absent",
			"not-negative": "0 (zero) or greater",
		}[rules.rate];
		for (const line of categoryLines)
			require(rateFits(
				line.vat?.ratePercent,
				rules.rate,
			), `${p}-05`, `In an Invoice line with VAT category "${n}" the Invoiced item VAT rate (BT-152) shall be ${rateText} (line ${line.id ?? "?"}).`);
		for (const a of categoryAllowances)
			require(rateFits(
				a.vat?.ratePercent,
				rules.rate,
			), `${p}-06`, `In a Document level allowance with VAT category "${n}" the VAT rate (BT-96) shall be ${rateText}.`);
		for (const c of categoryCharges)
			require(rateFits(
				c.vat?.ratePercent,
				rules.rate,
			), `${p}-07`, `In a Document level charge with VAT category "${n}" the VAT rate (BT-103) shall be ${rateText}.`);

		for (const entry of entries) {
			const key = rateKey(entry.category?.ratePercent);
			const sameRate = <T extends { vat?: { ratePercent?: Decimal } }>(items: T[]) =>
				rules.oneBreakdown ? items : items.filter((i) => rateKey(i.vat?.ratePercent) === key);
			const expected = minus(
				sum([...sameRate(categoryLines).map((l) => l.netAmount), ...sameRate(categoryCharges).map((c) => c.amount)]),
				sum(sameRate(categoryAllowances).map((a) => a.amount)),
			);
			if (entry.taxableAmount) {
				require(sameAmount(
					entry.taxableAmount,
					expected,
				), `${p}-08`, `The VAT category taxable amount (BT-116) for "${n}"${key ? ` at ${key} %` : ""} shall equal the sum of its line net amounts plus charges minus allowances: ${formatDecimal(entry.taxableAmount)} ≠ ${formatDecimal(round(expected, 2))}.`);
			}
			if (entry.taxAmount) {
				if (rules.rate === "positive" || rules.rate === "not-negative") {
					const rate = entry.category?.ratePercent;
					if (entry.taxableAmount && rate) {
						const computed = round(percentOf(abs(entry.taxableAmount), rate), 2);
						require(compare(abs(minus(abs(entry.taxAmount), computed)), { units: 1n, scale: 0 }) <
							0, `${p}-09`, `The VAT category tax amount (BT-117) for "${n}" shall equal the taxable amount × rate.`);
					}
				} else {
					require(entry.taxAmount.units ===
						0n, `${p}-09`, `The VAT category tax amount (BT-117) for "${n}" shall be 0 (zero).`);
				}
			}
			const hasReason = present(entry.exemptionReason) || present(entry.exemptionReasonCode);
			require(rules.exemptionReason ? hasReason : !hasReason, `${p}-10`, rules.exemptionReason
				? `A VAT breakdown with VAT category "${n}" shall have a VAT exemption reason code (BT-121) or text (BT-120).`
				: `A VAT breakdown with VAT category "${n}" shall not have a VAT exemption reason code (BT-121) or text (BT-120).`);
		}
	}
	const intraCommunity = [...lines(f), ...allowances(f), ...charges(f)].some((i) => i.vat?.code === "K");
	if (intraCommunity) {
		require(present(f.delivery?.date) ||
			f.invoicingPeriod, "BR-IC-11", 'In an Invoice with a VAT breakdown with VAT category "Intra-community supply" the Actual delivery date (BT-72) or the Invoicing period (BG-14) shall not be blank.');
		require(present(
			f.delivery?.address?.countryCode,
		), "BR-IC-12", 'In an Invoice with a VAT breakdown with VAT category "Intra-community supply" the Deliver to country code (BT-80) shall not be blank.');
	}
	const outOfScope = breakdown(f).some((b) => b.category?.code === "O");
	if (outOfScope) {
		require(breakdown(f).every(
			(b) => b.category?.code === "O",
		), "BR-O-11", 'An Invoice that contains a VAT breakdown with VAT category "Not subject to VAT" shall not contain other VAT breakdown groups.');
		require(lines(f).every(
			(l) => l.vat?.code === "O",
		), "BR-O-12", 'An Invoice that contains a VAT breakdown with VAT category "Not subject to VAT" shall not contain an Invoice line with another category.');
		require(allowances(f).every(
			(a) => a.vat?.code === "O",
		), "BR-O-13", 'An Invoice that contains a VAT breakdown with VAT category "Not subject to VAT" shall not contain Document level allowances with another category.');
		require(charges(f).every(
			(c) => c.vat?.code === "O",
		), "BR-O-14", 'An Invoice that contains a VAT breakdown with VAT category "Not subject to VAT" shall not contain Document level charges with another category.');
	}
}

function codeListRules(f: InvoiceFacts, require: Require): void {
	const inList = (value: string | undefined, list: ReadonlySet<string>, rule: string, text: string) =>
		require(value === undefined || list.has(value), rule, `${text}: "${value}" is not in the code list.`);
	if (f.typeCode !== undefined) {
		require(INVOICE_TYPE_CODES.has(f.typeCode) ||
			CREDIT_NOTE_TYPE_CODES.has(
				f.typeCode,
			), "BR-CL-01", `The document type code (BT-3) "${f.typeCode}" shall be coded by the invoice and credit note related code lists of UNTDID 1001.`);
	}
	inList(
		f.currency,
		CURRENCY_CODES,
		"BR-CL-04",
		"Invoice currency code (BT-5) MUST be coded using ISO code list 4217 alpha-3",
	);
	inList(
		f.taxCurrency?.currency,
		CURRENCY_CODES,
		"BR-CL-05",
		"Tax currency code (BT-6) MUST be coded using ISO code list 4217 alpha-3",
	);
	for (const country of [
		f.seller?.address?.countryCode,
		f.buyer?.address?.countryCode,
		f.delivery?.address?.countryCode,
	]) {
		inList(country, COUNTRY_CODES, "BR-CL-14", "Country codes in an invoice MUST be coded using ISO code list 3166-1");
	}
	for (const line of lines(f)) {
		inList(
			line.item?.originCountry,
			COUNTRY_CODES,
			"BR-CL-15",
			"Country codes in an invoice MUST be coded using ISO code list 3166-1",
		);
		inList(
			line.unitCode,
			UNIT_CODES,
			"BR-CL-23",
			"Unit code MUST be coded according to the UN/ECE Recommendation 20 with Rec 21 extension",
		);
		inList(
			line.price?.baseQuantityUnitCode,
			UNIT_CODES,
			"BR-CL-23",
			"Unit code MUST be coded according to the UN/ECE Recommendation 20 with Rec 21 extension",
		);
		inList(
			line.item?.standardId?.scheme,
			ICD_CODES,
			"BR-CL-21",
			"Item standard identifier scheme identifier MUST belong to the ISO 6523 ICD code list",
		);
		inList(
			line.vat?.code,
			VAT_CATEGORY_CODES,
			"BR-CL-18",
			"Invoice tax categories MUST be coded using UNCL5305 code list",
		);
		for (const a of line.allowances ?? [])
			inList(
				a.reasonCode,
				ALLOWANCE_REASON_CODES,
				"BR-CL-19",
				"Coded allowance reasons MUST belong to the UNCL 5189 code list",
			);
		for (const c of line.charges ?? [])
			inList(
				c.reasonCode,
				CHARGE_REASON_CODES,
				"BR-CL-20",
				"Coded charge reasons MUST belong to the UNCL 7161 code list",
			);
	}
	inList(
		f.paymentInstructions?.meansCode,
		PAYMENT_MEANS_CODES,
		"BR-CL-16",
		"Payment means in an invoice MUST be coded using UNCL4461 code list",
	);
	// UBL binds the breakdown's and the document allowances' category to cac:TaxCategory (BR-CL-17);
	// CII has one element for all of them (BR-CL-18).
	const headerCategoryRule = f.syntax === "UBL" ? "BR-CL-17" : "BR-CL-18";
	for (const item of [
		...breakdown(f).map((b) => b.category),
		...allowances(f).map((a) => a.vat),
		...charges(f).map((c) => c.vat),
	]) {
		inList(
			item?.code,
			VAT_CATEGORY_CODES,
			headerCategoryRule,
			"Invoice tax categories MUST be coded using UNCL5305 code list",
		);
	}
	for (const a of allowances(f))
		inList(
			a.reasonCode,
			ALLOWANCE_REASON_CODES,
			"BR-CL-19",
			"Coded allowance reasons MUST belong to the UNCL 5189 code list",
		);
	for (const c of charges(f))
		inList(
			c.reasonCode,
			CHARGE_REASON_CODES,
			"BR-CL-20",
			"Coded charge reasons MUST belong to the UNCL 7161 code list",
		);
	for (const entry of breakdown(f)) {
		inList(
			entry.exemptionReasonCode?.toUpperCase(),
			VATEX_CODES,
			"BR-CL-22",
			"Tax exemption reason code MUST belong to the CEF VATEX code list",
		);
	}
	for (const party of [f.seller, f.buyer]) {
		inList(
			party?.electronicAddress?.scheme,
			EAS_CODES,
			"BR-CL-25",
			"Endpoint identifier scheme identifier MUST belong to the CEF EAS code list",
		);
		inList(
			party?.legalRegistrationId?.scheme,
			ICD_CODES,
			"BR-CL-11",
			"Any registration identifier identification scheme identifier MUST be coded using one of the ISO 6523 ICD list",
		);
	}
	for (const id of f.buyer?.identifiers ?? [])
		inList(
			id.scheme,
			ICD_CODES,
			"BR-CL-10",
			"Any identifier identification scheme identifier MUST be coded using one of the ISO 6523 ICD list",
		);
	for (const id of f.seller?.identifiers ?? []) {
		if (id.scheme !== "SEPA")
			inList(
				id.scheme,
				ICD_CODES,
				"BR-CL-10",
				"Any identifier identification scheme identifier MUST be coded using one of the ISO 6523 ICD list",
			);
	}
}

const PEPPOL_INVOICE_TYPES = new Set(
	"71 80 82 84 102 218 219 331 380 382 383 386 388 393 395 553 575 623 780 817 870 875 876 877".split(" "),
);
const PEPPOL_CREDIT_NOTE_TYPES = new Set("81 83 381 396 532".split(" "));

function peppolRules(f: InvoiceFacts, require: Require): void {
	require(present(f.profileId), "PEPPOL-EN16931-R001", "Business process MUST be provided.");
	require(!f.profileId ||
		/^urn:fdc:peppol\.eu:2017:poacc:billing:\d\d:1\.0$/.test(
			f.profileId,
		), "PEPPOL-EN16931-R007", "Business process MUST be in the format 'urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0' where NN indicates the process number.");
	const bothGerman = f.seller?.address?.countryCode === "DE" && f.buyer?.address?.countryCode === "DE";
	require((f.notes ?? []).length <= 1 ||
		bothGerman, "PEPPOL-EN16931-R002", "No more than one note is allowed on document level, unless both the buyer and seller are German organizations.");
	require(present(f.buyerReference) ||
		present(
			f.purchaseOrderReference,
		), "PEPPOL-EN16931-R003", "A buyer reference or purchase order reference MUST be provided.");
	require(!f.taxCurrency?.currency ||
		f.taxCurrency.currency !==
			f.currency, "PEPPOL-EN16931-R005", "VAT accounting currency code MUST be different from invoice currency code when provided.");
	require(f.buyer?.electronicAddress &&
		present(f.buyer.electronicAddress.value), "PEPPOL-EN16931-R010", "Buyer electronic address MUST be provided.");
	require(f.seller?.electronicAddress &&
		present(f.seller.electronicAddress.value), "PEPPOL-EN16931-R020", "Seller electronic address MUST be provided.");
	const allowanceCharges = [
		...allowances(f),
		...charges(f),
		...lines(f).flatMap((l) => [...(l.allowances ?? []), ...(l.charges ?? [])]),
	];
	for (const ac of allowanceCharges) {
		if (ac.amount && ac.baseAmount && ac.percent) {
			require(sameAmount(
				ac.amount,
				percentOf(ac.baseAmount, ac.percent),
			), "PEPPOL-EN16931-R040", `Allowance/charge amount ${formatDecimal(ac.amount)} must equal base amount × percentage / 100.`);
		}
		require(!ac.percent ||
			ac.baseAmount, "PEPPOL-EN16931-R041", "Allowance/charge base amount MUST be provided when allowance/charge percentage is provided.");
		require(!ac.baseAmount ||
			ac.percent, "PEPPOL-EN16931-R042", "Allowance/charge percentage MUST be provided when allowance/charge base amount is provided.");
	}
	if (f.totals?.vatTotal && f.taxCurrency?.vatTotal) {
		const sign = (d: Decimal) => (d.units < 0n ? -1 : d.units > 0n ? 1 : 0);
		const a = sign(f.totals.vatTotal);
		const b = sign(f.taxCurrency.vatTotal);
		require(a === b ||
			a === 0 ||
			b ===
				0, "PEPPOL-EN16931-R055", "Invoice total VAT amount and Invoice total VAT amount in accounting currency MUST have the same operational sign.");
	}
	const payment = f.paymentInstructions;
	if (payment?.meansCode === "49" || payment?.meansCode === "59") {
		require(present(
			payment.directDebit?.mandateReference,
		), "PEPPOL-EN16931-R061", "Mandate reference MUST be provided for direct debit.");
	}
	for (const line of lines(f)) {
		const at = `line ${line.id ?? "?"}`;
		const price = line.price ?? {};
		if (price.grossPrice && price.netPrice) {
			require(sameAmount(
				price.netPrice,
				minus(price.grossPrice, price.discount ?? ZERO),
			), "PEPPOL-EN16931-R046", `Item net price MUST equal (Gross price − Allowance amount) when gross price is provided (${at}).`);
		}
		const base = price.baseQuantity ?? { units: 1n, scale: 0 };
		require(base.units > 0n, "PEPPOL-EN16931-R121", `Base quantity MUST be a positive number above zero (${at}).`);
		require(!price.baseQuantityUnitCode ||
			price.baseQuantityUnitCode ===
				line.unitCode, "PEPPOL-EN16931-R130", `Unit code of price base quantity MUST be same as invoiced quantity (${at}).`);
		if (line.quantity && price.netPrice && line.netAmount && base.units > 0n) {
			const gross = divide(times(line.quantity, price.netPrice), base, 10);
			const expected = minus(
				sum([gross, ...(line.charges ?? []).map((c) => c.amount)]),
				sum((line.allowances ?? []).map((a) => a.amount)),
			);
			require(sameAmount(
				line.netAmount,
				expected,
			), "PEPPOL-EN16931-R120", `Invoice line net amount MUST equal (Invoiced quantity × (Item net price / item price base quantity) + Sum of invoice line charge amount − sum of invoice line allowance amount) (${at}: ${formatDecimal(line.netAmount)} ≠ ${formatDecimal(round(expected, 2))}).`);
		}
		if (line.period && f.invoicingPeriod) {
			require(!line.period.start ||
				!f.invoicingPeriod.start ||
				line.period.start >=
					f.invoicingPeriod
						.start, "PEPPOL-EN16931-R110", `Start date of line period MUST be within invoice period (${at}).`);
			require(!line.period.end ||
				!f.invoicingPeriod.end ||
				line.period.end <=
					f.invoicingPeriod
						.end, "PEPPOL-EN16931-R111", `End date of line period MUST be within invoice period (${at}).`);
		}
	}
	if (f.typeCode !== undefined) {
		const creditNote = isCreditNote(f);
		require(creditNote ? PEPPOL_CREDIT_NOTE_TYPES.has(f.typeCode) : PEPPOL_INVOICE_TYPES.has(f.typeCode), creditNote
			? "PEPPOL-EN16931-P0101"
			: "PEPPOL-EN16931-P0100", `Invoice type code ${f.typeCode} is not allowed in Peppol BIS Billing 3.0.`);
	}
	for (const currency of [f.currency, f.taxCurrency?.currency]) {
		require(currency === undefined ||
			CURRENCY_CODES.has(
				currency,
			), "PEPPOL-EN16931-CL007", `Currency code "${currency}" must be according to ISO 4217:2005.`);
	}
	for (const party of [f.seller, f.buyer]) {
		const scheme = party?.electronicAddress?.scheme;
		require(scheme === undefined ||
			EAS_CODES.has(
				scheme,
			), "PEPPOL-EN16931-CL008", `Electronic address identifier scheme "${scheme}" must be from the codelist "Electronic Address Identifier Scheme".`);
	}
}

const SKONTO = /^#(SKONTO|VERZUG)#TAGE=[0-9]+#PROZENT=[0-9]+\.[0-9]{2}(#BASISBETRAG=-?[0-9]+\.[0-9]{2})?#$/;
const CARD_MEANS = new Set(["48", "54", "55"]);

function xrechnungRules(f: InvoiceFacts, require: Require): void {
	const payment = f.paymentInstructions;
	require(payment, "BR-DE-1", 'An invoice shall contain information on "PAYMENT INSTRUCTIONS" (BG-16).');
	require(f.seller?.contact, "BR-DE-2", 'The group "SELLER CONTACT" (BG-6) shall be provided.');
	require(present(f.seller?.address?.city), "BR-DE-3", 'The element "Seller city" (BT-37) shall be provided.');
	require(present(
		f.seller?.address?.postalCode,
	), "BR-DE-4", 'The element "Seller post code" (BT-38) shall be provided.');
	if (f.seller?.contact) {
		require(present(f.seller.contact.name), "BR-DE-5", 'The element "Seller contact point" (BT-41) shall be provided.');
		require(present(
			f.seller.contact.telephone,
		), "BR-DE-6", 'The element "Seller contact telephone number" (BT-42) shall be provided.');
		require(present(
			f.seller.contact.email,
		), "BR-DE-7", 'The element "Seller contact email address" (BT-43) shall be provided.');
	}
	require(present(f.buyer?.address?.city), "BR-DE-8", 'The element "Buyer city" (BT-52) shall be provided.');
	require(present(f.buyer?.address?.postalCode), "BR-DE-9", 'The element "Buyer post code" (BT-53) shall be provided.');
	if (f.delivery?.address) {
		require(present(
			f.delivery.address.city,
		), "BR-DE-10", 'The element "Deliver to city" (BT-77) shall be provided if the group "DELIVER TO ADDRESS" (BG-15) is delivered.');
		require(present(
			f.delivery.address.postalCode,
		), "BR-DE-11", 'The element "Deliver to post code" (BT-78) shall be provided if the group "DELIVER TO ADDRESS" (BG-15) is delivered.');
	}
	if (payment) {
		const groups = [
			(payment.creditTransfers ?? []).length > 0,
			payment.card !== undefined,
			payment.directDebit !== undefined,
		].filter(Boolean).length;
		require(groups <=
			1, "BR-DE-13", 'An invoice shall contain information on exactly one of the groups "CREDIT TRANSFER" (BG-17), "PAYMENT CARD INFORMATION" (BG-18) or "DIRECT DEBIT" (BG-19).');
		const code = payment.meansCode ?? "";
		if (code === "30" || code === "58") {
			require((payment.creditTransfers ?? []).length >
				0, "BR-DE-23-a", 'If "Payment means type code" (BT-81) is 30 or 58, the group "CREDIT TRANSFER" (BG-17) shall be provided.');
			require(!payment.card &&
				!payment.directDebit, "BR-DE-23-b", 'If "Payment means type code" (BT-81) is 30 or 58, the groups BG-18 and BG-19 shall not be provided.');
		}
		if (CARD_MEANS.has(code)) {
			require(payment.card, "BR-DE-24-a", 'If "Payment means type code" (BT-81) is 48, 54 or 55, the group "PAYMENT CARD INFORMATION" (BG-18) shall be provided.');
			require(!(payment.creditTransfers ?? []).length &&
				!payment.directDebit, "BR-DE-24-b", 'If "Payment means type code" (BT-81) is 48, 54 or 55, the groups BG-17 and BG-19 shall not be provided.');
		}
		if (code === "59") {
			require(payment.directDebit, "BR-DE-25-a", 'If "Payment means type code" (BT-81) is 59, the group "DIRECT DEBIT" (BG-19) shall be provided.');
			require(!(payment.creditTransfers ?? []).length &&
				!payment.card, "BR-DE-25-b", 'If "Payment means type code" (BT-81) is 59, the groups BG-17 and BG-18 shall not be provided.');
		}
		if (payment.directDebit) {
			require(present(
				payment.directDebit.creditorId,
			), "BR-DE-30", 'If the group "DIRECT DEBIT" (BG-19) is provided, the element "Bank assigned creditor identifier" (BT-90) shall be provided.');
			require(present(
				payment.directDebit.debitedAccountId,
			), "BR-DE-31", 'If the group "DIRECT DEBIT" (BG-19) is provided, the element "Debited account identifier" (BT-91) shall be provided.');
		}
	}
	for (const entry of breakdown(f)) {
		require(entry.category?.code === "O" ||
			entry.category?.ratePercent, "BR-DE-14", 'The element "VAT category rate" (BT-119) shall be provided.');
	}
	require(present(f.buyerReference), "BR-DE-15", 'The element "Buyer reference" (BT-10) shall be provided.');
	const taxable = [...lines(f), ...allowances(f), ...charges(f)].some((i) =>
		["S", "Z", "E", "AE", "K", "G", "L", "M"].includes(i.vat?.code ?? ""),
	);
	if (taxable) {
		require(present(f.seller?.vatId) ||
			present(
				f.seller?.taxRegistrationId,
			), "BR-DE-16", 'At least one of "Seller VAT identifier" (BT-31), "Seller tax registration identifier" (BT-32) or "SELLER TAX REPRESENTATIVE PARTY" (BG-11) shall be provided.');
	}
	const terms = (f.paymentTerms ?? "").split(/\r?\n/).filter((line) => line.startsWith("#"));
	require(terms.every((line) =>
		SKONTO.test(line),
	), "BR-DE-18", 'Cash discount and late payment information in "Payment terms" (BT-20) shall follow the #SKONTO#TAGE=n#PROZENT=n.nn# format.');
	// XRechnung 3.0 makes both electronic addresses mandatory, under the Peppol rule ids.
	require(f.buyer?.electronicAddress &&
		present(f.buyer.electronicAddress.value), "PEPPOL-EN16931-R010", "Buyer electronic address MUST be provided.");
	require(f.seller?.electronicAddress &&
		present(f.seller.electronicAddress.value), "PEPPOL-EN16931-R020", "Seller electronic address MUST be provided.");
}
