import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DUNNING_CRON } from "../../src/cron/scheduled";
import worker from "../../src/index";
import { api, newCustomer, newTenant, waitForJob } from "../helpers/api";
import { newInvoice } from "../helpers/invoices";

// The daily cron starts a dunning run for every tenant with an active rule: in a file of their own, these
// tenants are all there are.
describe("the dunning cron", () => {
	const fire = async (at: string) => {
		const ctx = createExecutionContext();
		await worker.scheduled(createScheduledController({ cron: DUNNING_CRON, scheduledTime: new Date(at) }), env, ctx);
		await waitOnExecutionContext(ctx);
	};
	const runsOf = async (key: string) =>
		(await api("/v1/billing/jobs?type=dunning_run", { key })).body.data as { id: string }[];

	it("runs dunning as of each dunned tenant's own date, taking each step once however often it fires", async () => {
		const dunned = await newTenant();
		const idle = await newTenant();
		const paused = await newTenant();
		await api("/v1/billing/settings", { key: dunned.key, method: "PATCH", body: { time_zone: "Pacific/Kiritimati" } });
		const rule = (key: string, active: boolean) =>
			api("/v1/billing/dunning/rules", {
				key,
				body: { name: "Hold", steps: [{ days_after_due: 1, action: "hold_services" }], active },
			});
		expect((await rule(dunned.key, true)).status).toBe(201);
		expect((await rule(paused.key, false)).status).toBe(201);
		const customer = await newCustomer(dunned.key);
		const invoice = await newInvoice(dunned.key, customer.id, {
			finalize: true,
			issue_date: "2026-01-02",
			due_date: "2026-02-01",
		});

		// 10:45 UTC on 1 February is already 2 February on Kiritimati (UTC+14): the step's day.
		await fire("2026-02-01T10:45:00Z");
		await fire("2026-02-01T10:45:00Z");
		const runs = await runsOf(dunned.key);
		expect(runs).toHaveLength(2);
		expect(await runsOf(idle.key)).toEqual([]);
		expect(await runsOf(paused.key)).toEqual([]);
		const finished = await Promise.all(runs.map((run) => waitForJob(dunned.key, run.id)));
		expect(finished.map((job) => job.result.date)).toEqual(["2026-02-02", "2026-02-02"]);
		const steps = (
			await Promise.all(
				runs.map(async (run) => (await api(`/v1/billing/dunning/jobs/${run.id}`, { key: dunned.key })).body.steps),
			)
		).flat();
		expect(steps).toEqual([
			expect.objectContaining({
				invoice_id: invoice.id,
				action: "hold_services",
				status: "succeeded",
				run_date: "2026-02-02",
			}),
		]);
		expect(
			(await api(`/v1/billing/customers/${customer.id}`, { key: dunned.key })).body.services_held_at,
		).not.toBeNull();
	});
});
