// Subscription billing periods on calendar dates (`YYYY-MM-DD`). Dates are handled as whole day
// numbers (days since 1970-01-01) computed with integer arithmetic: no Date object, no local time,
// no time of day, so a period never shifts by a day on a server in another zone or across DST.
//
// Month arithmetic is anchored: period n starts `n × count` months after the ANCHOR, on the
// anchor's day, clamped to the last day of a shorter month. Periods are never chained from the
// previous start, so a subscription that started on Jan 31 bills on Feb 28 and then on Mar 31 again,
// not on Mar 28. A year is 12 months (Feb 29 anchors bill on Feb 28 outside leap years).

export const INTERVALS = ["day", "week", "month", "year"] as const;
export type Interval = (typeof INTERVALS)[number];

/** A plan bills every `intervalCount` intervals. */
export type Plan = { interval: Interval; intervalCount: number };

export const MAX_INTERVAL_COUNT = 365;
/** The most periods `periodsBetween` will list: a bound on the work one request can ask for. */
export const MAX_PERIODS = 10_000;

/** Start inclusive, end exclusive: the end is the next period's start. */
export type Period = { start: string; end: string };
export type BillingPeriod = Period & { index: number };

// ---------------------------------------------------------------------------------------------
// Calendar dates as day numbers

type Civil = { year: number; month: number; day: number };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Four-digit years only, so that the text form always sorts like the date.
const MIN_YEAR = 1;
const MAX_YEAR = 9999;

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

function daysInMonth(year: number, month: number): number {
	if (month === 2) return isLeapYear(year) ? 29 : 28;
	return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function parseCivil(value: string): Civil | null {
	const match = typeof value === "string" ? DATE.exec(value) : null;
	if (!match) return null;
	const year = Number(match[1]);
	const month = Number(match[2]);
	const day = Number(match[3]);
	if (year < MIN_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
	return { year, month, day };
}

/** True for a real calendar date written `YYYY-MM-DD` (year 0001 to 9999). */
export const isCalendarDate = (value: string): boolean => parseCivil(value) !== null;

function parseDate(value: string, name: string): Civil {
	const civil = parseCivil(value);
	if (!civil) throw new RangeError(`${name} must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(value)}`);
	return civil;
}

// Days from civil and back (H. Hinnant's algorithms): eras of 400 years are exactly 146097 days, and
// counting years from March puts the leap day last.
function toDayNumber({ year, month, day }: Civil): number {
	const y = month <= 2 ? year - 1 : year;
	const era = Math.floor(y / 400);
	const yearOfEra = y - era * 400;
	const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
	const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
	return era * 146097 + dayOfEra - 719468;
}

function fromDayNumber(dayNumber: number): Civil {
	const z = dayNumber + 719468;
	const era = Math.floor(z / 146097);
	const dayOfEra = z - era * 146097;
	const yearOfEra = Math.floor(
		(dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
	);
	const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
	const mp = Math.floor((5 * dayOfYear + 2) / 153);
	const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
	const month = mp < 10 ? mp + 3 : mp - 9;
	return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

const MIN_DAY = toDayNumber({ year: MIN_YEAR, month: 1, day: 1 });
const MAX_DAY = toDayNumber({ year: MAX_YEAR, month: 12, day: 31 });

function formatCivil({ year, month, day }: Civil): string {
	if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR)
		throw new RangeError("date is outside the years 0001 to 9999");
	const pad = (n: number, width: number) => String(n).padStart(width, "0");
	return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

function formatDayNumber(dayNumber: number): string {
	if (!(dayNumber >= MIN_DAY && dayNumber <= MAX_DAY)) throw new RangeError("date is outside the years 0001 to 9999");
	return formatCivil(fromDayNumber(dayNumber));
}

/** `b − a` in whole days (negative when b is before a). */
export function daysBetween(a: string, b: string): number {
	return toDayNumber(parseDate(b, "b")) - toDayNumber(parseDate(a, "a"));
}

// ---------------------------------------------------------------------------------------------
// Periods

function checkPlan(interval: Interval, count: number): void {
	if (!INTERVALS.includes(interval)) throw new RangeError(`unknown interval ${JSON.stringify(interval)}`);
	if (!Number.isInteger(count) || count < 1 || count > MAX_INTERVAL_COUNT) {
		throw new RangeError(`interval count must be an integer from 1 to ${MAX_INTERVAL_COUNT}`);
	}
}

/** Length of one period in days for day and week plans, in months for month and year plans. */
function step(interval: Interval, count: number): number {
	switch (interval) {
		case "day":
			return count;
		case "week":
			return count * 7;
		case "month":
			return count;
		case "year":
			return count * 12;
	}
}

const isMonthly = (interval: Interval) => interval === "month" || interval === "year";
const monthIndex = (c: Civil) => c.year * 12 + (c.month - 1);

/** The day number of period `n`'s start, without formatting. */
function startOf(anchor: Civil, interval: Interval, count: number, n: number): number {
	const length = step(interval, count);
	if (!isMonthly(interval)) return toDayNumber(anchor) + n * length;
	const target = monthIndex(anchor) + n * length;
	const year = Math.floor(target / 12);
	// Out of range either way: refused by formatDayNumber.
	if (year > MAX_YEAR) return Number.POSITIVE_INFINITY;
	if (year < MIN_YEAR) return Number.NEGATIVE_INFINITY;
	const month = (target % 12) + 1;
	return toDayNumber({ year, month, day: Math.min(anchor.day, daysInMonth(year, month)) });
}

/** The largest period index whose start is on or before `day` (negative when `day` is before the anchor). */
function indexAtOrBefore(anchor: Civil, interval: Interval, count: number, day: Civil): number {
	const length = step(interval, count);
	if (!isMonthly(interval)) return Math.floor((toDayNumber(day) - toDayNumber(anchor)) / length);
	// Every start in a later month is after `day`; only the start in `day`'s own month can overshoot,
	// when it is clamped to a day of the month after `day`.
	const index = Math.floor((monthIndex(day) - monthIndex(anchor)) / length);
	return startOf(anchor, interval, count, index) > toDayNumber(day) ? index - 1 : index;
}

/**
 * The start of period `n`: `n × count` intervals after `anchor` (before it when n is negative, so
 * `addInterval(date, "day", 1, -1)` is the day before). Months (and years) are counted from the
 * anchor and clamped to the month's last day; weeks are 7 days.
 */
export function addInterval(anchor: string, interval: Interval, count: number, n: number): string {
	checkPlan(interval, count);
	if (!Number.isSafeInteger(n)) throw new RangeError("n must be a whole number of periods");
	return formatDayNumber(startOf(parseDate(anchor, "anchor"), interval, count, n));
}

/** The last day of a period that ends (exclusively) on `end`: what invoices and notes print. */
export const dayBefore = (end: string): string => addInterval(end, "day", 1, -1);

/**
 * The period (start inclusive, end exclusive) that contains `date`. Periods run both ways from the
 * anchor, so a date before it lies in a period with a negative index: the stub before a future anchor.
 */
export function periodContaining(anchor: string, interval: Interval, count: number, date: string): BillingPeriod {
	checkPlan(interval, count);
	const a = parseDate(anchor, "anchor");
	const d = parseDate(date, "date");
	const index = indexAtOrBefore(a, interval, count, d);
	return {
		start: formatDayNumber(startOf(a, interval, count, index)),
		end: formatDayNumber(startOf(a, interval, count, index + 1)),
		index,
	};
}

/**
 * Every period start with `from ≤ start ≤ to` (both inclusive), in order; none when `from > to` or
 * `to` is before the anchor. Refuses (RangeError) to list more than MAX_PERIODS, before listing any.
 */
export function periodsBetween(anchor: string, interval: Interval, count: number, from: string, to: string): string[] {
	checkPlan(interval, count);
	const a = parseDate(anchor, "anchor");
	const f = parseDate(from, "from");
	const t = parseDate(to, "to");
	const anchorDay = toDayNumber(a);
	const fromDay = toDayNumber(f);
	const toDay = toDayNumber(t);
	if (toDay < anchorDay) return [];
	let first = 0;
	if (fromDay > anchorDay) {
		first = indexAtOrBefore(a, interval, count, f);
		if (startOf(a, interval, count, first) < fromDay) first += 1;
	}
	const last = indexAtOrBefore(a, interval, count, t);
	if (last - first + 1 > MAX_PERIODS) {
		throw new RangeError(`more than ${MAX_PERIODS} billing periods between ${from} and ${to}`);
	}
	const starts: string[] = [];
	for (let n = first; n <= last; n++) starts.push(formatDayNumber(startOf(a, interval, count, n)));
	return starts;
}

/**
 * The billing anchor of a plan that bills on a fixed day of the month: the first date on or after
 * `from` that falls on exactly `billingDay`. Months too short for that day are skipped, so the anchor
 * keeps the day itself (an anchor on the 31st bills on Feb 28, then on Mar 31 again).
 */
export function billingDayAnchor(from: string, billingDay: number): string {
	if (!Number.isInteger(billingDay) || billingDay < 1 || billingDay > 31) {
		throw new RangeError("billing day must be an integer from 1 to 31");
	}
	const start = parseDate(from, "from");
	let month = monthIndex(start) + (start.day > billingDay ? 1 : 0);
	for (;;) {
		const year = Math.floor(month / 12);
		const civil = { year, month: (month % 12) + 1, day: billingDay };
		if (year > MAX_YEAR) throw new RangeError("date is outside the years 0001 to 9999");
		if (billingDay <= daysInMonth(civil.year, civil.month)) return formatCivil(civil);
		month += 1;
	}
}

// ---------------------------------------------------------------------------------------------
// Time zones

// An instant given as text must say where it is: without an offset, `Date` reads it in the
// server's local time, which is exactly the bug this function exists to prevent.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

// A margin of one day either side keeps every zone's local date (offsets are under 24 h) in range.
const MIN_INSTANT = (MIN_DAY + 1) * 86_400_000;
const MAX_INSTANT = MAX_DAY * 86_400_000 - 1;

/** True for an instant (milliseconds since the epoch) that has a local date in every zone. */
export const hasLocalDates = (time: number) => time >= MIN_INSTANT && time <= MAX_INSTANT;

// Building a formatter costs far more than using one; usage ingestion asks for thousands of dates.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormatIn(timeZone: string): Intl.DateTimeFormat {
	let format = dateFormats.get(timeZone);
	if (format) return format;
	try {
		// Fixed calendar and digits, whatever the runtime's default locale is.
		format = new Intl.DateTimeFormat("en-US-u-ca-gregory-nu-latn", {
			timeZone,
			year: "numeric",
			month: "numeric",
			day: "numeric",
		});
	} catch {
		throw new RangeError(`unknown time zone ${JSON.stringify(timeZone)}`);
	}
	dateFormats.set(timeZone, format);
	return format;
}

/**
 * The calendar date of `instant` in the IANA time zone `timeZone`: "today" for a tenant in that zone.
 * Throws RangeError for an unknown zone, an invalid instant, or an instant text without an offset.
 */
export function localDate(instant: Date | string, timeZone: string): string {
	if (typeof instant === "string" && !INSTANT.test(instant)) {
		throw new RangeError(`instant must be ISO 8601 with Z or an offset, got ${JSON.stringify(instant)}`);
	}
	const time = typeof instant === "string" ? Date.parse(instant) : instant.getTime();
	if (!hasLocalDates(time)) throw new RangeError("instant is invalid or out of range");
	// An undefined zone would silently mean the runtime's own zone.
	if (typeof timeZone !== "string" || timeZone === "") throw new RangeError("a time zone is required");
	if (timeZone === "UTC") return new Date(time).toISOString().slice(0, 10);
	const format = dateFormatIn(timeZone);
	const parts = format.formatToParts(time);
	const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
	return formatCivil({ year: part("year"), month: part("month"), day: part("day") });
}

/** True for a time zone `localDate` accepts: an IANA name such as "Europe/Berlin", or "UTC". */
export function isTimeZone(name: string): boolean {
	try {
		localDate(new Date(0), name);
		return true;
	} catch {
		return false;
	}
}
