import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { expect, inject } from "vitest";
import { consumeJobs } from "../../queues/jobs";
import { api, newTenant } from "./api";

// The fake HTTP email API on loopback (test/helpers/fakeEmailApi.mjs) and the jobs queue's retries.

export const emailApi = () => `http://127.0.0.1:${inject("emailApiPort")}`;

export type ReceivedEmail = {
	To: string;
	Subject: string;
	HtmlBody: string;
	TextBody: string;
	Attachments: { Name: string; ContentType: string; Content: string }[];
	/** The Idempotency-Key the message came with. */
	idempotency_key: string;
};

/** Every message the fake email API accepted so far. */
export const receivedEmails = async (): Promise<ReceivedEmail[]> => (await fetch(`${emailApi()}/received`)).json();

/** A tenant whose emails go through the fake email API with `token`. */
export async function tenantWithEmailApi(token = "pm-test-token") {
	const tenant = await newTenant();
	const settings = await api("/v1/billing/settings", {
		key: tenant.key,
		method: "PATCH",
		body: { email_transport: { provider: "http", endpoint: `${emailApi()}/email`, token } },
	});
	expect(settings.status).toBe(200);
	expect(settings.body.email_transport).toEqual({ provider: "http", endpoint: `${emailApi()}/email` });
	expect(settings.text).not.toContain(token);
	return tenant;
}

/** Delivers one message to the jobs queue's consumer, as the queue would. */
export async function consumeJob(body: unknown) {
	const batch = createMessageBatch("jobs", [{ id: "m1", timestamp: new Date(), attempts: 1, body }]);
	const ctx = createExecutionContext();
	await consumeJobs(batch, env);
	return getQueueResult(batch, ctx);
}

/** The bytes of an attachment as the API received it (base64). */
export const attachmentBytes = (content: string) => Uint8Array.from(atob(content), (c) => c.charCodeAt(0));
