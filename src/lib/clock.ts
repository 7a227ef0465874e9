// Business time comes from one clock carried in the request or job context (ARCHITECTURE.md
// invariant 7), so tests and test clocks can move time without sleeping.
export interface Clock {
	now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const fixedClock = (at: Date | string): Clock => {
	const instant = new Date(at);
	return { now: () => new Date(instant) };
};

/** RFC 3339 UTC with millisecond precision, the one timestamp format stored and returned. */
export const timestamp = (clock: Clock): string => clock.now().toISOString();

export const addSeconds = (iso: string, seconds: number): string =>
	new Date(Date.parse(iso) + seconds * 1000).toISOString();

/** The UTC calendar date of an instant. */
export const todayOf = (now: Date) => now.toISOString().slice(0, 10);
