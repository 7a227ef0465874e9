// The pre-flight check: which rules of the target format the invoice's data cannot satisfy. It runs the
// same rule checks the rendered documents are judged by, over the model as that format would carry it,
// so a refusal names exactly the rule (e.g. BR-DE-15, PEPPOL-EN16931-R010) the file would break.
import { isCurrency } from "../../domain/currency";
import type { Decimal } from "../../domain/decimal";
import { EN16931_CII_GUIDELINE } from "./cii";
import type { EInvoice, EInvoiceFormat, LineAllowanceCharge } from "./model";
import { checkRules, type Finding, type InvoiceFacts, type RuleSet } from "./rules";
import { withTwoDecimalAmounts } from "./twoDecimals";
import { PEPPOL_BIS_BILLING_3 } from "./ubl";
import { minorUnitsToDecimal } from "./xml";
import { XRECHNUNG_3_0 } from "./xrechnung";

type Declaration = { syntax: InvoiceFacts["syntax"]; specificationId: string; profileId?: string; sets: RuleSet[] };

const DECLARATIONS: Record<EInvoiceFormat, Declaration> = {
	ubl: {
		syntax: "UBL",
		...PEPPOL_BIS_BILLING_3,
		specificationId: PEPPOL_BIS_BILLING_3.customizationId,
		sets: ["en16931", "peppol"],
	},
	xrechnung: {
		syntax: "UBL",
		...XRECHNUNG_3_0,
		specificationId: XRECHNUNG_3_0.customizationId,
		sets: ["en16931", "xrechnung"],
	},
	cii: { syntax: "CII", specificationId: EN16931_CII_GUIDELINE, sets: ["en16931"] },
};

/** The model as the rules see it once rendered in `format`: amounts as exact decimals. */
export function toFacts(issued: EInvoice, format: EInvoiceFormat): InvoiceFacts {
	const invoice = withTwoDecimalAmounts(issued);
	const { syntax, specificationId, profileId } = DECLARATIONS[format];
	const amount = (value: number | undefined): Decimal | undefined =>
		value === undefined ? undefined : minorUnitsToDecimal(value, invoice.currency);
	const lineCharge = (c: LineAllowanceCharge) => ({ ...c, amount: amount(c.amount), baseAmount: amount(c.baseAmount) });
	const totals = invoice.totals;
	return {
		...invoice,
		syntax,
		specificationId,
		profileId,
		taxCurrency: invoice.taxCurrency && {
			currency: invoice.taxCurrency.currency,
			vatTotal: minorUnitsToDecimal(invoice.taxCurrency.vatTotal, invoice.taxCurrency.currency),
		},
		allowances: invoice.allowances?.map((a) => ({ ...lineCharge(a), vat: a.vat })),
		charges: invoice.charges?.map((c) => ({ ...lineCharge(c), vat: c.vat })),
		totals: {
			lineNetTotal: amount(totals.lineNetTotal),
			allowanceTotal: amount(totals.allowanceTotal),
			chargeTotal: amount(totals.chargeTotal),
			taxExclusive: amount(totals.taxExclusive),
			vatTotal: amount(totals.vatTotal),
			taxInclusive: amount(totals.taxInclusive),
			prepaid: amount(totals.prepaid),
			rounding: amount(totals.rounding),
			payable: amount(totals.payable),
		},
		vatBreakdown: invoice.vatBreakdown.map((entry) => ({
			...entry,
			taxableAmount: amount(entry.taxableAmount),
			taxAmount: amount(entry.taxAmount),
		})),
		lines: invoice.lines.map((line) => ({
			...line,
			netAmount: amount(line.netAmount),
			allowances: line.allowances?.map(lineCharge),
			charges: line.charges?.map(lineCharge),
		})),
	};
}

/** The findings that rendering `invoice` as `format` would produce; empty when the file would pass. */
export function preflight(invoice: EInvoice, format: EInvoiceFormat): Finding[] {
	// Amounts cannot even be written without the currency's exponent.
	const unknownCurrencies: Finding[] = [];
	if (!isCurrency(invoice.currency)) {
		unknownCurrencies.push({
			rule: "BR-CL-04",
			message: `Invoice currency code (BT-5) "${invoice.currency}" is not an ISO 4217 currency.`,
		});
	}
	if (invoice.taxCurrency && !isCurrency(invoice.taxCurrency.currency)) {
		unknownCurrencies.push({
			rule: "BR-CL-05",
			message: `Tax currency code (BT-6) "${invoice.taxCurrency.currency}" is not an ISO 4217 currency.`,
		});
	}
	if (unknownCurrencies.length > 0) return unknownCurrencies;
	return checkRules(toFacts(invoice, format), DECLARATIONS[format].sets);
}
