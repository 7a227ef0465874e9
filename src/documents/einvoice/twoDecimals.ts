// EN 16931 amounts carry at most two decimals (BR-DEC-*), whatever the currency. An invoice in a currency
// of three (KWD, BHD, OMR…) is written with every amount rounded to two, and the sums recomputed from the
// rounded parts so that they still add up (BR-CO-10…16, BR-S-08…, PEPPOL-EN16931-R120). Prices keep
// their decimals: a price is not an amount.
import { currencyExponent, isCurrency } from "../../domain/currency";
import { formatDecimal, pow10, roundHalfAwayFromZero } from "../../domain/decimal";
import type { DocumentAllowanceCharge, EInvoice, InvoiceLine, LineAllowanceCharge, VatCategory } from "./model";

/** Rounds minor units of `currency` to a whole number of hundredths of its major unit. */
function hundredths(currency: string): (amount: number) => number {
	const extra = currencyExponent(currency) - 2;
	if (extra <= 0) return (amount) => amount;
	const step = pow10(extra);
	return (amount) => Number(roundHalfAwayFromZero(BigInt(amount), step) * step);
}

const total = (amounts: readonly number[]): number => amounts.reduce((sum, amount) => sum + amount, 0);
const vatKey = (vat: VatCategory) => `${vat.code}/${vat.ratePercent ? formatDecimal(vat.ratePercent) : ""}`;

/** `invoice` with every amount at two decimals at most; an invoice already so is returned as it is. */
export function withTwoDecimalAmounts(invoice: EInvoice): EInvoice {
	if (!isCurrency(invoice.currency) || currencyExponent(invoice.currency) <= 2) {
		return roundTaxCurrency(invoice);
	}
	const round = hundredths(invoice.currency);
	const roundCharge = <T extends LineAllowanceCharge | DocumentAllowanceCharge>(c: T): T => ({
		...c,
		amount: round(c.amount),
		baseAmount: c.baseAmount === undefined ? undefined : round(c.baseAmount),
	});
	const lines: InvoiceLine[] = invoice.lines.map((line) => {
		const allowances = line.allowances?.map(roundCharge);
		const charges = line.charges?.map(roundCharge);
		// quantity × price as the line had it before its allowances and charges, rounded once: the rounded
		// allowances and charges then move it by whole hundredths, as R120 recomputes it.
		const gross =
			line.netAmount +
			total((line.allowances ?? []).map((a) => a.amount)) -
			total((line.charges ?? []).map((c) => c.amount));
		const netAmount =
			round(gross) - total((allowances ?? []).map((a) => a.amount)) + total((charges ?? []).map((c) => c.amount));
		return { ...line, allowances, charges, netAmount };
	});
	const allowances = invoice.allowances?.map(roundCharge);
	const charges = invoice.charges?.map(roundCharge);
	const vatBreakdown = invoice.vatBreakdown.map((entry) => {
		const key = vatKey(entry.category);
		const of = <T extends { vat: VatCategory }>(items: readonly T[] | undefined) =>
			(items ?? []).filter((item) => vatKey(item.vat) === key);
		const taxableAmount =
			total(of(lines).map((l) => l.netAmount)) -
			total(of(allowances).map((a) => a.amount)) +
			total(of(charges).map((c) => c.amount));
		return { ...entry, taxableAmount, taxAmount: round(entry.taxAmount) };
	});
	const lineNetTotal = total(lines.map((l) => l.netAmount));
	const allowanceTotal = allowances && total(allowances.map((a) => a.amount));
	const chargeTotal = charges && total(charges.map((c) => c.amount));
	const taxExclusive = lineNetTotal - (allowanceTotal ?? 0) + (chargeTotal ?? 0);
	const vatTotal = total(vatBreakdown.map((entry) => entry.taxAmount));
	const taxInclusive = taxExclusive + vatTotal;
	const prepaid = invoice.totals.prepaid === undefined ? undefined : round(invoice.totals.prepaid);
	const rounding = invoice.totals.rounding === undefined ? undefined : round(invoice.totals.rounding);
	return roundTaxCurrency({
		...invoice,
		lines,
		allowances,
		charges,
		vatBreakdown,
		totals: {
			lineNetTotal,
			allowanceTotal: invoice.totals.allowanceTotal === undefined ? undefined : (allowanceTotal ?? 0),
			chargeTotal: invoice.totals.chargeTotal === undefined ? undefined : (chargeTotal ?? 0),
			taxExclusive,
			vatTotal,
			taxInclusive,
			prepaid,
			rounding,
			payable: taxInclusive - (prepaid ?? 0) + (rounding ?? 0),
		},
	});
}

/** BT-111 is an amount too, in the VAT accounting currency. */
function roundTaxCurrency(invoice: EInvoice): EInvoice {
	const tax = invoice.taxCurrency;
	if (!tax || !isCurrency(tax.currency)) return invoice;
	const vatTotal = hundredths(tax.currency)(tax.vatTotal);
	return vatTotal === tax.vatTotal ? invoice : { ...invoice, taxCurrency: { ...tax, vatTotal } };
}
