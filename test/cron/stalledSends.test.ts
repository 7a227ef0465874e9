import { createMessageBatch, env } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import { consumeJobs } from "../../queues/jobs";
import { MAINTENANCE_CRON, runScheduled } from "../../src/cron/scheduled";
import { database } from "../../src/db/client";
import type { Env } from "../../src/env";
import { systemClock } from "../../src/lib/clock";
import { newId } from "../../src/lib/ids";
import { createLogger } from "../../src/lib/logger";
import { submitEInvoice } from "../../src/services/einvoices/submitEInvoice";
import { AP_TOKEN_OK } from "../fakes/peppolAccessPoint";
import { api, newCustomer } from "../helpers/api";
import { issuedInvoice } from "../helpers/einvoice";
import { receivedEmails, tenantWithEmailApi } from "../helpers/email";
import { newInvoice } from "../helpers/invoices";

// A send recorded as queued whose queue message never arrived (the queue write failed, or the message was
// lost after its retries), or whose attempt died half way, is found by the maintenance cron and sent.

type Received = { idempotency_key: string | null; id: string };
const accessPointUrl = () => inject("accessPointUrl");
const receivedBy = async (key: string) =>
	((await (await fetch(`${accessPointUrl()}/received`)).json()) as Received[]).filter((r) => r.idempotency_key === key);

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** Runs the maintenance cron with a jobs queue that records what it is given, and answers those messages. */
async function runMaintenance() {
	const sent: unknown[] = [];
	const jobs = { send: async (body: unknown) => void sent.push(body) } as unknown as Queue;
	await runScheduled(MAINTENANCE_CRON, { ...env, JOBS: jobs } as Env, new Date());
	return sent;
}

/** Delivers messages to the jobs queue's consumer, all in one batch, as the queue would. */
async function consume(bodies: unknown[]) {
	const messages = bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body }));
	await consumeJobs(createMessageBatch("jobs", messages), env);
}

type SubmissionState = { status: string; attempts: number; errors: string; provider_id: string | null };
const submissionRow = (id: string) =>
	env.DB.prepare(
		"select status, attempts, errors, provider_id, next_attempt_at, attempt_started_at from einvoice_submissions where id = ?",
	)
		.bind(id)
		.first<SubmissionState & { next_attempt_at: string | null; attempt_started_at: string | null }>();

/** An issued invoice whose tenant has an access point, and a submission of it recorded as given. */
async function stalledSubmission(state: { attempts: number; nextAttemptAt: string; attemptStartedAt: string | null }) {
	const { key, tenantId, invoice } = await issuedInvoice();
	const set = await api("/v1/billing/einvoice/access-point", {
		key,
		body: { endpoint: accessPointUrl(), token: AP_TOKEN_OK },
	});
	expect(set.status).toBe(200);
	const id = newId("einvoiceSubmission");
	const createdAt = minutesAgo(60);
	await env.DB.prepare(
		`insert into einvoice_submissions (id, tenant_id, source_kind, source_id, format, status, provider_id, errors,
			attempts, next_attempt_at, attempt_started_at, created_at, updated_at)
		 values (?, ?, 'invoice', ?, 'ubl', 'queued', null, '[]', ?, ?, ?, ?, ?)`,
	)
		.bind(id, tenantId, invoice.id, state.attempts, state.nextAttemptAt, state.attemptStartedAt, createdAt, createdAt)
		.run();
	return { id, tenantId, key, invoice };
}

const submitMessage = (tenantId: string, id: string) => ({
	v: 1,
	kind: "submit_einvoice",
	tenant_id: tenantId,
	submission_id: id,
});

describe("the maintenance sweep of e-invoice submissions", () => {
	it("queues a submission whose message was lost, which then reaches the access point once", async () => {
		const { id, tenantId } = await stalledSubmission({
			attempts: 0,
			nextAttemptAt: minutesAgo(11),
			attemptStartedAt: null,
		});
		const queued = await runMaintenance();
		expect(queued).toContainEqual(submitMessage(tenantId, id));
		// Not overdue any more: a second sweep before the message ran leaves it alone.
		expect(await runMaintenance()).not.toContainEqual(submitMessage(tenantId, id));

		await consume([submitMessage(tenantId, id)]);
		const documents = await receivedBy(id);
		expect(documents).toHaveLength(1);
		expect(await submissionRow(id)).toMatchObject({
			status: "sent",
			attempts: 1,
			provider_id: documents[0]?.id,
			next_attempt_at: null,
			attempt_started_at: null,
		});
		// Sent is finished: neither the sweep nor the same message again sends it a second time.
		expect(await runMaintenance()).not.toContainEqual(submitMessage(tenantId, id));
		await consume([submitMessage(tenantId, id)]);
		expect(await receivedBy(id)).toHaveLength(1);
		expect((await submissionRow(id))?.attempts).toBe(1);
	});

	it("acknowledges a submission whose queue write failed, and the sweep sends it once it is overdue", async () => {
		const { key, tenantId, invoice } = await issuedInvoice();
		await api("/v1/billing/einvoice/access-point", { key, body: { endpoint: accessPointUrl(), token: AP_TOKEN_OK } });
		const unavailable = { send: () => Promise.reject(new Error("queue unavailable")) } as unknown as Queue;
		const submission = await submitEInvoice({
			ctx: {
				db: database(env.DB),
				env: { ...env, JOBS: unavailable } as Env,
				tenantId,
				actor: { type: "api_key", id: "test" },
				requestId: null,
				clock: systemClock,
				logger: createLogger(),
			},
			kind: "invoice",
			id: invoice.id,
			format: "ubl",
		});
		expect(submission).toMatchObject({ status: "queued", attempts: 0 });
		// Not overdue yet; ten minutes on, it is.
		expect(await runMaintenance()).not.toContainEqual(submitMessage(tenantId, submission.id));
		await env.DB.prepare("update einvoice_submissions set next_attempt_at = ? where id = ?")
			.bind(minutesAgo(11), submission.id)
			.run();
		const queued = await runMaintenance();
		expect(queued).toContainEqual(submitMessage(tenantId, submission.id));
		await consume([submitMessage(tenantId, submission.id)]);
		expect(await receivedBy(submission.id)).toHaveLength(1);
		expect(await submissionRow(submission.id)).toMatchObject({ status: "sent", attempts: 1 });
	});

	it("leaves a submission that is not yet overdue to its own message", async () => {
		const { id, tenantId } = await stalledSubmission({
			attempts: 0,
			nextAttemptAt: minutesAgo(5),
			attemptStartedAt: null,
		});
		expect(await runMaintenance()).not.toContainEqual(submitMessage(tenantId, id));
		expect(await submissionRow(id)).toMatchObject({ status: "queued", attempts: 0 });
	});

	it("submits once when the same message is consumed twice at once", async () => {
		const { id, tenantId } = await stalledSubmission({
			attempts: 0,
			nextAttemptAt: minutesAgo(0),
			attemptStartedAt: null,
		});
		await consume([submitMessage(tenantId, id), submitMessage(tenantId, id)]);
		await Promise.all([consume([submitMessage(tenantId, id)]), consume([submitMessage(tenantId, id)])]);
		expect(await receivedBy(id)).toHaveLength(1);
		expect(await submissionRow(id)).toMatchObject({ status: "sent", attempts: 1 });
	});

	it("does not start a second attempt while one is running", async () => {
		const { id, tenantId } = await stalledSubmission({
			attempts: 1,
			nextAttemptAt: minutesAgo(1),
			attemptStartedAt: minutesAgo(1),
		});
		await consume([submitMessage(tenantId, id)]);
		expect(await runMaintenance()).not.toContainEqual(submitMessage(tenantId, id));
		expect(await receivedBy(id)).toHaveLength(0);
		expect(await submissionRow(id)).toMatchObject({ status: "queued", attempts: 1 });
	});

	it("queues again, after its backoff, a submission whose attempt died, and counts that attempt", async () => {
		const { id, tenantId } = await stalledSubmission({
			attempts: 2,
			nextAttemptAt: minutesAgo(15),
			attemptStartedAt: minutesAgo(15),
		});
		const before = Date.now();
		expect(await runMaintenance()).toContainEqual(submitMessage(tenantId, id));
		const revived = await submissionRow(id);
		expect(revived).toMatchObject({ status: "queued", attempts: 2, attempt_started_at: null });
		// The third attempt waits the backoff after a second one: 60 s.
		expect(Date.parse(revived?.next_attempt_at ?? "")).toBeGreaterThanOrEqual(before + 60_000);
		await consume([submitMessage(tenantId, id)]);
		expect(await receivedBy(id)).toHaveLength(1);
		expect(await submissionRow(id)).toMatchObject({ status: "sent", attempts: 3 });
	});

	it("fails a submission whose last attempt died, with the reason", async () => {
		const { id, tenantId, key, invoice } = await stalledSubmission({
			attempts: 5,
			nextAttemptAt: minutesAgo(20),
			attemptStartedAt: minutesAgo(20),
		});
		expect(await runMaintenance()).not.toContainEqual(submitMessage(tenantId, id));
		const row = await submissionRow(id);
		expect(row).toMatchObject({ status: "failed", attempts: 5, next_attempt_at: null });
		expect(JSON.parse(row?.errors ?? "[]")).toEqual([
			expect.stringMatching(/^attempt 5 of 5, begun at .*, never finished$/),
		]);
		const listed = await api(`/v1/billing/invoices/${invoice.id}/e-invoice/submissions`, { key });
		expect(listed.body.data[0]).toMatchObject({ id, status: "failed" });
		await consume([submitMessage(tenantId, id)]);
		expect(await receivedBy(id)).toHaveLength(0);
	});
});

describe("the maintenance sweep of email deliveries", () => {
	it("queues an email whose attempt died, which the queue then delivers once under the delivery's key", async () => {
		const { key, tenantId } = await tenantWithEmailApi();
		const email = `stalled-${tenantId.toLowerCase()}@acme.example`;
		const customer = await newCustomer(key, { email });
		const invoice = await newInvoice(key, customer.id, { finalize: true });
		const id = newId("delivery");
		await env.DB.prepare(
			`insert into document_deliveries (id, tenant_id, document_id, kind, channel, status, recipient, attempts,
				next_attempt_at, attempt_started_at, created_at, updated_at)
			 values (?, ?, ?, 'invoice', 'email', 'queued', ?, 1, ?, ?, ?, ?)`,
		)
			.bind(id, tenantId, invoice.id, email, minutesAgo(12), minutesAgo(12), minutesAgo(12), minutesAgo(12))
			.run();
		const message = { v: 1, kind: "deliver_email", tenant_id: tenantId, delivery_id: id };
		expect(await runMaintenance()).toContainEqual(message);
		await Promise.all([consume([message]), consume([message])]);
		const mails = (await receivedEmails()).filter((m) => m.To === email);
		expect(mails).toHaveLength(1);
		expect(mails[0]?.idempotency_key).toBe(id);
		const row = await env.DB.prepare("select status, attempts, next_attempt_at from document_deliveries where id = ?")
			.bind(id)
			.first();
		expect(row).toEqual({ status: "sent", attempts: 2, next_attempt_at: null });
		expect(await runMaintenance()).not.toContainEqual(message);
	});
});
