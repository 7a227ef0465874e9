import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { consumeJobs } from "../../queues/jobs";
import { database } from "../../src/db/client";
import { jobs } from "../../src/db/schema";
import type { Env } from "../../src/env";
import { newId } from "../../src/lib/ids";
import { api, expectProblem, newCustomer, newKey, newTenant } from "../helpers/api";

/** An invoice import recorded as queued with its file in R2 but not yet sent to the queue. */
async function queuedImport(tenantId: string, customerId: string, lines: number) {
	const id = newId("job");
	const objectKey = `${tenantId}/imports/${id}.ndjson`;
	const body = Array.from({ length: lines }, (_, i) =>
		JSON.stringify({ customer_id: customerId, items: [{ description: `line ${i + 1}`, unit_price: 100 }] }),
	).join("\n");
	await env.FILES.put(objectKey, body);
	const now = new Date().toISOString();
	await database(env.DB)
		.insert(jobs)
		.values({
			id,
			tenantId,
			type: "invoice_import",
			status: "queued",
			input: { object_key: objectKey },
			errors: [],
			createdAt: now,
			updatedAt: now,
		});
	return id;
}

/** Delivers the job's queue message to the consumer, with `bindings` in place of the real ones. */
async function deliver(tenantId: string, jobId: string, bindings: Env = env) {
	const batch = createMessageBatch("jobs", [
		{ id: `m-${jobId}`, timestamp: new Date(), attempts: 1, body: { v: 1, job_id: jobId, tenant_id: tenantId } },
	]);
	const ctx = createExecutionContext();
	await consumeJobs(batch, bindings);
	return getQueueResult(batch, ctx);
}

const invoiceCount = async (key: string, customerId: string) =>
	(await api(`/v1/billing/invoices?customer_id=${customerId}&limit=100`, { key })).body.data.length;

const cancel = (key: string, jobId: string) => api(`/v1/billing/jobs/${jobId}/cancel`, { key, method: "POST" });

describe("POST /v1/billing/jobs/{id}/cancel", () => {
	it("cancels a queued job, which then never starts", async () => {
		const { key, tenantId } = await newTenant();
		const customer = await newCustomer(key);
		const jobId = await queuedImport(tenantId, customer.id, 3);
		const res = await cancel(key, jobId);
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ id: jobId, status: "canceled", progress: { processed: 0 } });
		expect(res.body.finished_at).toEqual(expect.any(String));

		const result = await deliver(tenantId, jobId);
		expect(result.explicitAcks).toEqual([`m-${jobId}`]);
		expect(await invoiceCount(key, customer.id)).toBe(0);
		expect((await api(`/v1/billing/jobs/${jobId}`, { key })).body.status).toBe("canceled");
		const audit = await api(`/v1/billing/audit?target_id=${jobId}`, { key });
		expect(audit.body.data.map((row: { action: string }) => row.action)).toContain("job.canceled");
	});

	it("stops a running job at its next chunk, keeping and reporting what it did", async () => {
		const { key, tenantId } = await newTenant();
		const customer = await newCustomer(key);
		const jobId = await queuedImport(tenantId, customer.id, 60);
		// Canceled once the runner has started (it reads its file first), before its first checkpoint.
		let canceledWhileRunning: Awaited<ReturnType<typeof cancel>> | undefined;
		const files = {
			get: async (objectKey: string) => {
				canceledWhileRunning = await cancel(key, jobId);
				return env.FILES.get(objectKey);
			},
			put: (...args: Parameters<R2Bucket["put"]>) => env.FILES.put(...args),
		} as unknown as R2Bucket;

		const result = await deliver(tenantId, jobId, { ...env, FILES: files });
		expect(canceledWhileRunning?.status).toBe(200);
		expect(result.explicitAcks).toEqual([`m-${jobId}`]);
		expect(result.retryMessages).toEqual([]);
		const job = (await api(`/v1/billing/jobs/${jobId}`, { key })).body;
		// The import checkpoints every 25 lines: it stopped at the first checkpoint after the cancel.
		expect(job).toMatchObject({ status: "canceled", progress: { processed: 25, succeeded: 25, failed: 0 } });
		expect(job.finished_at).toEqual(expect.any(String));
		expect(await invoiceCount(key, customer.id)).toBe(25);

		// A redelivered message finds it canceled and does nothing more.
		await deliver(tenantId, jobId);
		expect(await invoiceCount(key, customer.id)).toBe(25);
		expect((await api(`/v1/billing/jobs/${jobId}`, { key })).body.progress.processed).toBe(25);
	});

	it("answers 409 for a finished job, and for one already canceled", async () => {
		const { key, tenantId } = await newTenant();
		const customer = await newCustomer(key);
		const finished = await queuedImport(tenantId, customer.id, 2);
		await deliver(tenantId, finished);
		expect((await api(`/v1/billing/jobs/${finished}`, { key })).body.status).toBe("succeeded");
		expect(expectProblem(await cancel(key, finished), 409, "invalid_state").status).toBe(409);
		expect((await api(`/v1/billing/jobs/${finished}`, { key })).body.status).toBe("succeeded");

		const canceled = await queuedImport(tenantId, customer.id, 2);
		expect((await cancel(key, canceled)).status).toBe(200);
		expectProblem(await cancel(key, canceled), 409, "invalid_state");
	});

	it("answers 404 for another tenant's job and 403 without jobs:write", async () => {
		const mine = await newTenant();
		const other = await newTenant();
		const customer = await newCustomer(other.key);
		const theirs = await queuedImport(other.tenantId, customer.id, 2);
		expectProblem(await cancel(mine.key, theirs), 404, "not_found");
		const reader = await newKey(other.key, "billing_reader");
		expectProblem(await cancel(reader.secret, theirs), 403, "forbidden");
		expect((await api(`/v1/billing/jobs/${theirs}`, { key: other.key })).body.status).toBe("queued");
	});
});
