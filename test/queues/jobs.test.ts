import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { consumeJobs } from "../../queues/jobs";
import { database } from "../../src/db/client";
import { jobs } from "../../src/db/schema";
import { newId } from "../../src/lib/ids";
import { api, newCustomer, newTenant } from "../helpers/api";
import { newPlan, subscribe } from "../helpers/subscriptions";

const DATE = "2027-03-10";

/** Runs the jobs consumer on `bodies` as one batch and returns what it acked or retried. */
async function consume(bodies: unknown[]) {
	const batch = createMessageBatch(
		"jobs",
		bodies.map((body, i) => ({ id: `j${i}`, timestamp: new Date(), attempts: 1, body })),
	);
	const ctx = createExecutionContext();
	await consumeJobs(batch, env);
	return getQueueResult(batch, ctx);
}

/**
 * A tenant with `accounts` customers each on a plan due on DATE, and a recurring run that fanned out to
 * `total` accounts, as runRecurringRun leaves it.
 */
async function dueRun(accounts: number, total = accounts) {
	const { key, tenantId } = await newTenant();
	const plan = await newPlan(key);
	const customerIds: string[] = [];
	for (let i = 0; i < accounts; i++) {
		const customer = await newCustomer(key);
		await subscribe(key, { customer_id: customer.id, plan_id: plan.id, start_date: DATE });
		customerIds.push(customer.id);
	}
	const now = new Date().toISOString();
	const jobId = newId("job");
	await database(env.DB)
		.insert(jobs)
		.values({
			id: jobId,
			tenantId,
			type: "recurring_run",
			status: "running",
			input: { date: DATE },
			errors: [],
			total,
			createdAt: now,
			updatedAt: now,
		});
	const message = (customer_ids: string[]) => ({
		v: 1,
		kind: "bill_accounts",
		job_id: jobId,
		tenant_id: tenantId,
		customer_ids,
		date: DATE,
	});
	return { key, tenantId, customerIds, jobId, message };
}

const progressOf = async (key: string, jobId: string) => (await api(`/v1/billing/jobs/${jobId}`, { key })).body;

describe("recurring run messages", () => {
	it("bill a message's accounts side by side, and count each once when the message comes again", async () => {
		const { key, customerIds, jobId, message: messageOf } = await dueRun(3);
		const message = messageOf(customerIds);
		expect((await consume([message])).explicitAcks).toEqual(["j0"]);
		const first = await progressOf(key, jobId);
		expect(first).toMatchObject({ status: "succeeded", progress: { processed: 3, succeeded: 3, failed: 0 } });
		expect((await consume([message])).explicitAcks).toEqual(["j0"]);
		expect((await progressOf(key, jobId)).progress).toEqual(first.progress);
		const invoices = await api("/v1/billing/invoices?limit=100", { key });
		expect(invoices.body.data).toHaveLength(3);
	});

	it("count the accounts billed when another fails, and retry only the one that failed", async () => {
		const { key, customerIds, jobId, message: messageOf } = await dueRun(1, 2);
		const message = messageOf([...customerIds, "cus_gone"]);
		for (let delivery = 0; delivery < 2; delivery++) {
			const result = await consume([message]);
			expect(result.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(["j0"]);
			expect((await progressOf(key, jobId)).progress).toMatchObject({ processed: 1, succeeded: 1, failed: 0 });
		}
		expect((await api("/v1/billing/invoices", { key })).body.data).toHaveLength(1);
	});

	it("report each failed subscription as one error, the first 100 of them", async () => {
		const { key, tenantId, customerIds, jobId, message: messageOf } = await dueRun(2);
		const plan = await newPlan(key);
		for (let i = 0; i < 60; i++) {
			for (const customerId of customerIds) {
				await subscribe(key, { customer_id: customerId, plan_id: plan.id, start_date: DATE });
			}
		}
		// A deleted customer cannot be invoiced: every one of its subscriptions fails to bill.
		await env.DB.prepare("update customers set status = 'deleted', version = version + 1 where tenant_id = ?")
			.bind(tenantId)
			.run();
		expect((await consume([messageOf(customerIds)])).explicitAcks).toEqual(["j0"]);
		const job = await progressOf(key, jobId);
		expect(job.progress).toMatchObject({ processed: 2, succeeded: 0, failed: 122 });
		expect(job.errors).toHaveLength(100);
		for (const error of job.errors) {
			expect(error).toMatchObject({ subscription_id: expect.stringMatching(/^sub_/), code: "invalid_state" });
		}
	});

	it("still bill a one-account message sent before accounts were grouped", async () => {
		const { key, tenantId, customerIds, jobId } = await dueRun(1);
		const message = {
			v: 1,
			kind: "bill_account",
			job_id: jobId,
			tenant_id: tenantId,
			customer_id: customerIds[0],
			date: DATE,
		};
		expect((await consume([message])).explicitAcks).toEqual(["j0"]);
		expect(await progressOf(key, jobId)).toMatchObject({
			status: "succeeded",
			progress: { processed: 1, succeeded: 1 },
		});
	});
});
