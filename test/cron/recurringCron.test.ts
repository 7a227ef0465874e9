import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { RECURRING_CRON } from "../../src/cron/scheduled";
import worker from "../../src/index";
import { api, newCustomer, newTenant, waitForJob } from "../helpers/api";
import { newPlan, periodStarts, subscribe } from "../helpers/subscriptions";

// The cron starts a run for every tenant with periods due: in a file of their own, these tenants are all
// there are.
describe("the recurring cron", () => {
	const setZone = (key: string, time_zone: string) =>
		api("/v1/billing/settings", { key, method: "PATCH", body: { time_zone } });

	it("bills each tenant from the hour its own day begins", async () => {
		const tokyo = await newTenant();
		const losAngeles = await newTenant();
		await setZone(tokyo.key, "Asia/Tokyo");
		await setZone(losAngeles.key, "America/Los_Angeles");
		const subscriptionOf = async (key: string) => {
			const customer = await newCustomer(key);
			const plan = await newPlan(key);
			return subscribe(key, { customer_id: customer.id, plan_id: plan.id, start_date: "2031-03-10" });
		};
		const tokyoSub = await subscriptionOf(tokyo.key);
		const losAngelesSub = await subscriptionOf(losAngeles.key);
		const runsOf = async (key: string) =>
			(await api("/v1/billing/jobs?type=recurring_run", { key })).body.data as { id: string }[];
		const fire = async (at: string) => {
			const ctx = createExecutionContext();
			await worker.scheduled(
				createScheduledController({ cron: RECURRING_CRON, scheduledTime: new Date(at) }),
				env,
				ctx,
			);
			await waitOnExecutionContext(ctx);
		};
		// 03:15 UTC is noon in Tokyo but still the evening before in Los Angeles.
		await fire("2031-03-10T03:15:00Z");
		const tokyoRuns = await runsOf(tokyo.key);
		expect(tokyoRuns).toHaveLength(1);
		await waitForJob(tokyo.key, tokyoRuns[0]?.id ?? "");
		expect(await periodStarts(tokyo.key, tokyoSub.id)).toEqual(["2031-03-10"]);
		expect(await runsOf(losAngeles.key)).toEqual([]);
		// 08:15 UTC is 00:15 in Los Angeles (PST, UTC−8); Tokyo has nothing left to bill.
		await fire("2031-03-10T08:15:00Z");
		const losAngelesRuns = await runsOf(losAngeles.key);
		expect(losAngelesRuns).toHaveLength(1);
		await waitForJob(losAngeles.key, losAngelesRuns[0]?.id ?? "");
		expect(await periodStarts(losAngeles.key, losAngelesSub.id)).toEqual(["2031-03-10"]);
		expect(await runsOf(tokyo.key)).toHaveLength(1);
	});
});
