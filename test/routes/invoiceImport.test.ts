import { createMessageBatch, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { consumeJobs } from "../../queues/jobs";
import { api, expectProblem, newCustomer, newTenant, waitForJob } from "../helpers/api";
import { sampleItems } from "../helpers/invoices";

const ndjson = (lines: unknown[]) =>
	lines.map((line) => (typeof line === "string" ? line : JSON.stringify(line))).join("\n");

describe("bulk invoice import", () => {
	it("imports good lines, reports bad ones by line number, and writes nothing for a bad line", async () => {
		const { key, tenantId } = await newTenant();
		const customer = await newCustomer(key);
		const body = ndjson([
			{ customer_id: customer.id, items: sampleItems },
			"{ not json",
			{ customer_id: customer.id, items: sampleItems, finalize: true },
			"",
			{ customer_id: customer.id, items: [] },
			{
				customer_id: customer.id,
				items: [{ description: "x", unit_price: 100, discounts: [{ type: "amount", amount: 500 }] }],
			},
		]);
		const started = await api("/v1/billing/invoices/bulk", {
			key,
			rawBody: body,
			headers: { "content-type": "application/x-ndjson" },
		});
		expect(started.status).toBe(202);
		expect(started.body).toMatchObject({ object: "job", type: "invoice_import", status: "queued" });
		const job = await waitForJob(key, started.body.id);
		expect(job).toMatchObject({ status: "succeeded", progress: { processed: 5, total: 5, succeeded: 2, failed: 3 } });
		expect(job.errors.map((e: { line: number; code: string }) => [e.line, e.code])).toEqual([
			[2, "malformed_json"],
			[5, "validation_failed"],
			[6, "validation_failed"],
		]);
		expect(job.errors[1].errors[0].field).toBe("items");
		expect(job.errors[2].errors[0].field).toBe("items.0.discounts");

		const invoices = await api("/v1/billing/invoices", { key });
		expect(invoices.body.data.map((i: { status: string }) => i.status).sort()).toEqual(["draft", "issued"]);

		const report = await api(job.result_url, { key });
		expect(report.status).toBe(200);
		expect(report.text.trim().split("\n")).toHaveLength(3);

		// The queue redelivers the message after a crash that lost the progress: nothing is imported twice.
		await env.DB.prepare(
			"update jobs set status = 'running', processed = 0, succeeded = 0, failed = 0, errors = '[]' where id = ?",
		)
			.bind(job.id)
			.run();
		const batch = createMessageBatch("jobs", [
			{ id: "redelivery", timestamp: new Date(), attempts: 2, body: { v: 1, job_id: job.id, tenant_id: tenantId } },
		]);
		await consumeJobs(batch, env);
		const rerun = await api(`/v1/billing/jobs/${job.id}`, { key });
		expect(rerun.body.progress).toMatchObject({ processed: 5, succeeded: 2, failed: 3 });
		expect((await api("/v1/billing/invoices", { key })).body.data).toHaveLength(2);
	});

	it("rejects empty bodies and objects outside the tenant's prefix", async () => {
		const { key, tenantId } = await newTenant();
		expectProblem(
			await api("/v1/billing/invoices/bulk", {
				key,
				rawBody: "\n",
				headers: { "content-type": "application/x-ndjson" },
			}),
			422,
			"validation_failed",
		);
		const outside = await api("/v1/billing/invoices/bulk", {
			key,
			body: { object_key: "other-tenant/imports/x.ndjson" },
		});
		expect(expectProblem(outside, 422, "validation_failed").errors[0].field).toBe("object_key");
		const missing = await api("/v1/billing/invoices/bulk", {
			key,
			body: { object_key: `${tenantId}/imports/nothing.ndjson` },
		});
		expect(expectProblem(missing, 422, "validation_failed").errors[0].field).toBe("object_key");
		expect(
			expectProblem(await api("/v1/billing/invoices/bulk", { key, body: {} }), 422, "validation_failed").errors[0]
				.field,
		).toBe("object_key");
	});

	it("imports from an object the tenant stored in R2", async () => {
		const { key, tenantId } = await newTenant();
		const customer = await newCustomer(key);
		const objectKey = `${tenantId}/uploads/batch-1.ndjson`;
		await env.FILES.put(objectKey, ndjson([{ customer_id: customer.id, items: sampleItems }]));
		const started = await api("/v1/billing/invoices/bulk", { key, body: { object_key: objectKey } });
		expect(started.status).toBe(202);
		const job = await waitForJob(key, started.body.id);
		expect(job).toMatchObject({ status: "succeeded", progress: { succeeded: 1, failed: 0 }, result_url: null });
		const other = await newTenant();
		expectProblem(await api(`/v1/billing/jobs/${job.id}`, { key: other.key }), 404, "not_found");
	});
});
