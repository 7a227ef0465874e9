// Proration by the exact fraction of a billing period used, counted in whole calendar days.
//
// Rounding rule (the only one): the share of an amount for the days [from, to) of a period is
//   round(amount × days(from, to) / days(start, end))
// computed exactly in BigInt and rounded once, half away from zero (see decimal.ts). Plan changes and
// cancellations are built from that one rounded figure, so they add up exactly:
//   credit = −share(old price), charge = share(new price), net = credit + charge.
// Rounding is symmetric (round(−x) = −round(x)), so a change to the same price nets to exactly 0.
import { daysBetween, type Period } from "./billingPeriods";
import { roundHalfAwayFromZero, toSafeNumber } from "./decimal";

export type PlanChange = {
	/** Zero or the opposite sign of the old price: the unused part of it, given back. */
	credit: number;
	/** The remaining part of the new price. */
	charge: number;
	/** credit + charge, exactly. */
	net: number;
};

function checkAmount(amount: number, name: string): bigint {
	if (!Number.isSafeInteger(amount)) throw new RangeError(`${name} must be a whole number of minor units`);
	return BigInt(amount);
}

/** The share, in BigInt minor units, of `amount` for the days [from, to) of `period`. */
function share(amount: bigint, period: Period, from: string, to: string): bigint {
	const periodDays = daysBetween(period.start, period.end);
	if (periodDays <= 0) throw new RangeError(`period ${period.start} to ${period.end} has no days`);
	const before = daysBetween(period.start, from);
	const used = daysBetween(from, to);
	if (before < 0 || used < 0 || before + used > periodDays) {
		throw new RangeError(`${from} to ${to} is not inside the period ${period.start} to ${period.end}`);
	}
	return roundHalfAwayFromZero(amount * BigInt(used), BigInt(periodDays));
}

/**
 * The share of `amount` (integer minor units, negative for a credit) for the days [from, to), where
 * `period.start ≤ from ≤ to ≤ period.end`; rounded once, half away from zero.
 */
export function prorate(amount: number, period: Period, from: string, to: string): number {
	return toSafeNumber(share(checkAmount(amount, "amount"), period, from, to));
}

/**
 * Moving from `oldAmount` to `newAmount` per period on `changeDate` (start ≤ changeDate ≤ end; on the
 * end itself nothing is left to prorate and every figure is 0).
 */
export function planChange(input: {
	oldAmount: number;
	newAmount: number;
	period: Period;
	changeDate: string;
}): PlanChange {
	const { period, changeDate } = input;
	// Negated in BigInt: `-0` would otherwise leak out of a zero credit.
	const credit = -share(checkAmount(input.oldAmount, "oldAmount"), period, changeDate, period.end);
	const charge = share(checkAmount(input.newAmount, "newAmount"), period, changeDate, period.end);
	return { credit: toSafeNumber(credit), charge: toSafeNumber(charge), net: toSafeNumber(credit + charge) };
}

/** What is given back for the unused days [cancelDate, end) of a period paid `amount`. */
export function cancellationCredit(input: { amount: number; period: Period; cancelDate: string }): number {
	const { period, cancelDate } = input;
	return toSafeNumber(-share(checkAmount(input.amount, "amount"), period, cancelDate, period.end));
}
