import { vi } from "vitest";
import { api, waitForJob } from "./api";

export async function newPlan(key: string, overrides: Record<string, unknown> = {}) {
	const res = await api("/v1/billing/plans", {
		key,
		body: {
			code: `plan_${Math.random().toString(36).slice(2, 10)}`,
			name: "Pro",
			interval: "month",
			amount: 2900,
			currency: "EUR",
			...overrides,
		},
	});
	if (res.status !== 201) throw new Error(`plan creation failed: ${res.status} ${res.text}`);
	return res.body;
}

export async function subscribe(key: string, body: Record<string, unknown>) {
	const res = await api("/v1/billing/subscriptions", { key, body });
	if (res.status !== 201) throw new Error(`subscription failed: ${res.status} ${res.text}`);
	return res.body;
}

/**
 * Moves the clock of the Worker under test (its objects and queue consumers share the test's isolate)
 * to noon UTC of `date`; the test's `afterEach` moves it back.
 */
export function travelTo(date: string) {
	vi.useFakeTimers({ toFake: ["Date"] });
	vi.setSystemTime(new Date(`${date}T12:00:00Z`));
}

/** A recurring run on the day it bills to: a run may bill nothing after today. */
export async function runRecurring(key: string, body: { date: string } | { from: string; to: string }) {
	travelTo("date" in body ? body.date : body.to);
	const res = await api("/v1/billing/recurring/run", { key, body });
	if (res.status !== 202) throw new Error(`run failed: ${res.status} ${res.text}`);
	return waitForJob(key, res.body.id);
}

export const periodStarts = async (key: string, subscriptionId: string) =>
	(
		(await api(`/v1/billing/subscriptions/${subscriptionId}/invoices`, { key })).body.data as {
			period: { start: string };
		}[]
	)
		.map((i) => i.period.start)
		.sort();
