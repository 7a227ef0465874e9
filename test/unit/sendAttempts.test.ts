import { describe, expect, it } from "vitest";
import {
	retryDelaySeconds,
	STALLED_AFTER_MS,
	secondsAfter,
	stalledBefore,
	stalledVerdict,
	triesAgain,
} from "../../src/domain/sendAttempts";

const policy = { maxAttempts: 5, baseDelaySeconds: 30 };

describe("send attempts", () => {
	it("waits twice as long after each failed attempt, at most an hour", () => {
		expect([1, 2, 3, 4, 5].map((n) => retryDelaySeconds(policy, n))).toEqual([30, 60, 120, 240, 480]);
		expect(retryDelaySeconds(policy, 0)).toBe(30);
		expect(retryDelaySeconds(policy, 20)).toBe(3600);
		expect(retryDelaySeconds({ maxAttempts: 5, baseDelaySeconds: 60 }, 7)).toBe(3600);
	});

	it("tries again after a failure that may pass, until the last attempt", () => {
		expect([1, 2, 3, 4].map((n) => triesAgain(policy, n, false))).toEqual([true, true, true, true]);
		expect(triesAgain(policy, 5, false)).toBe(false);
		expect(triesAgain(policy, 6, false)).toBe(false);
		expect(triesAgain(policy, 1, true)).toBe(false);
	});

	it("queues a send whose message was lost at once, whatever its attempts", () => {
		expect(stalledVerdict(policy, { attempts: 0, attemptStartedAt: null })).toEqual({
			action: "requeue",
			delaySeconds: 0,
		});
		expect(stalledVerdict(policy, { attempts: 3, attemptStartedAt: null })).toEqual({
			action: "requeue",
			delaySeconds: 0,
		});
	});

	it("counts a dead attempt: queued again after its backoff, failed when it was the last", () => {
		const begun = "2030-01-01T00:00:00.000Z";
		expect(stalledVerdict(policy, { attempts: 1, attemptStartedAt: begun })).toEqual({
			action: "requeue",
			delaySeconds: 30,
		});
		expect(stalledVerdict(policy, { attempts: 4, attemptStartedAt: begun })).toEqual({
			action: "requeue",
			delaySeconds: 240,
		});
		expect(stalledVerdict(policy, { attempts: 5, attemptStartedAt: begun })).toEqual({
			action: "fail",
			reason: `attempt 5 of 5, begun at ${begun}, never finished`,
		});
	});

	it("dates the schedule from the reading of the clock", () => {
		const now = new Date("2030-01-01T12:00:00.000Z");
		expect(secondsAfter(now, 90)).toBe("2030-01-01T12:01:30.000Z");
		expect(stalledBefore(now)).toBe(new Date(now.getTime() - STALLED_AFTER_MS).toISOString());
		expect(stalledBefore(now)).toBe("2030-01-01T11:50:00.000Z");
	});
});
