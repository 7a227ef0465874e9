import { env } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import { newId } from "../../src/lib/ids";
import { FAKE_SMS_ACCOUNT, FAKE_SMS_INVALID_NUMBER, FAKE_SMS_TOKEN, type ReceivedSms } from "../fakes/smsApi";
import { api, expectProblem, fieldsOf, newCustomer, newTenant, waitForJob } from "../helpers/api";
import { consumeJob, receivedEmails, tenantWithEmailApi } from "../helpers/email";
import { newInvoice } from "../helpers/invoices";
import { pay } from "../helpers/payments";

// Invoices due on 2026-02-01; runs are dated after it (and before today, as a run may not be later).
const DUE = "2026-02-01";

const reminderTemplate = async (key: string, subject = "Reminder {{invoice.number}}") => {
	const res = await api("/v1/billing/templates", {
		key,
		body: {
			kind: "reminder",
			locale: "en-GB",
			subject,
			body: "{{invoice.balance}} is {{invoice.days_overdue}} days late.",
		},
	});
	expect(res.status).toBe(201);
	return res.body.id as string;
};

const newRule = async (key: string, body: Record<string, unknown>) => {
	const res = await api("/v1/billing/dunning/rules", { key, body: { name: "Standard", ...body } });
	if (res.status !== 201) throw new Error(`rule creation failed: ${res.status} ${res.text}`);
	return res.body;
};

const overdueInvoice = (key: string, customerId: string) =>
	newInvoice(key, customerId, { finalize: true, issue_date: "2026-01-02", due_date: DUE });

/** Runs dunning as of `date` and answers the finished run with the steps it took. */
async function runDunning(key: string, date: string) {
	const started = await api("/v1/billing/dunning/run", { key, body: { date } });
	expect(started.status).toBe(202);
	expect(started.headers.get("location")).toBe(`/v1/billing/dunning/jobs/${started.body.id}`);
	await waitForJob(key, started.body.id);
	const run = await api(`/v1/billing/dunning/jobs/${started.body.id}`, { key });
	expect(run.status).toBe(200);
	expect(run.body.status).toBe("succeeded");
	return run.body;
}

const smsReceived = async (): Promise<ReceivedSms[]> => (await fetch(`${inject("smsApiUrl")}/received`)).json();

const configureSms = (key: string) =>
	api("/v1/billing/settings", {
		key,
		method: "PATCH",
		body: {
			sms_transport: {
				endpoint: inject("smsApiUrl"),
				account_sid: FAKE_SMS_ACCOUNT,
				token: FAKE_SMS_TOKEN,
				from: "+4930123456",
			},
		},
	});

describe("dunning rules", () => {
	it("refuses bad steps, naming each field", async () => {
		const { key } = await newTenant();
		const invoiceTemplate = await api("/v1/billing/templates", {
			key,
			body: { kind: "invoice", locale: "en-GB", subject: "Invoice", body: "Attached." },
		});
		const post = (body: Record<string, unknown>) => api("/v1/billing/dunning/rules", { key, body });
		const step = (days_after_due: number, action = "email", template_id?: string) => ({
			days_after_due,
			action,
			template_id,
		});
		expect(fieldsOf(expectProblem(await post({ steps: [step(1)] }), 422, "validation_failed"))).toContain("body:name");
		expect(fieldsOf(expectProblem(await post({ name: "x", steps: [] }), 422, "validation_failed"))).toEqual([
			"body:steps",
		]);
		expect(
			fieldsOf(expectProblem(await post({ name: "x", steps: [step(7), step(7)] }), 422, "validation_failed")),
		).toEqual(["body:steps.1.days_after_due"]);
		expect(
			fieldsOf(expectProblem(await post({ name: "x", steps: [step(10), step(3)] }), 422, "validation_failed")),
		).toEqual(["body:steps.1.days_after_due"]);
		expect(fieldsOf(expectProblem(await post({ name: "x", steps: [step(366)] }), 422, "validation_failed"))).toEqual([
			"body:steps.0.days_after_due",
		]);
		expect(
			fieldsOf(expectProblem(await post({ name: "x", steps: [step(1, "fax")] }), 422, "validation_failed")),
		).toEqual(["body:steps.0.action"]);
		const wrongKind = expectProblem(
			await post({ name: "x", steps: [step(1, "email", invoiceTemplate.body.id)] }),
			422,
			"validation_failed",
		);
		expect(wrongKind.errors).toEqual([
			{
				location: "body",
				field: "steps.0.template_id",
				message: "is a template of kind invoice; an email step takes a reminder template",
			},
		]);
		const reminder = await reminderTemplate(key);
		expect(
			fieldsOf(expectProblem(await post({ name: "x", steps: [step(1, "sms", reminder)] }), 422, "validation_failed")),
		).toEqual(["body:steps.0.template_id"]);
		expect(
			fieldsOf(
				expectProblem(await post({ name: "x", steps: [step(1)], escalation: "agency" }), 422, "validation_failed"),
			),
		).toEqual(["body:escalation"]);
	});

	it("creates, lists, changes and deletes a rule; one default per tenant", async () => {
		const { key } = await newTenant();
		const template = await reminderTemplate(key);
		const first = await newRule(key, {
			steps: [
				{ days_after_due: 3, action: "email", template_id: template },
				{ days_after_due: 30, action: "hold_services" },
			],
			escalation: "case",
			is_default: true,
		});
		expect(first).toMatchObject({
			object: "dunning_rule",
			steps: [
				{ days_after_due: 3, action: "email", template_id: template },
				{ days_after_due: 30, action: "hold_services", template_id: null },
			],
			escalation: "case",
			currency: null,
			is_default: true,
			active: true,
			version: 1,
		});
		const second = await newRule(key, {
			name: "Strict",
			steps: [{ days_after_due: 0, action: "email" }],
			is_default: true,
		});
		expect((await api(`/v1/billing/dunning/rules/${first.id}`, { key })).body.is_default).toBe(false);

		const list = await api("/v1/billing/dunning/rules?limit=1", { key });
		expect(list.body).toMatchObject({ object: "list", has_more: true, limit: 1 });
		expect(list.body.data[0].id).toBe(second.id);

		const stale = await api(`/v1/billing/dunning/rules/${second.id}`, {
			key,
			method: "PATCH",
			body: { active: false, version: 5 },
		});
		expectProblem(stale, 409, "version_conflict");
		const changed = await api(`/v1/billing/dunning/rules/${second.id}`, {
			key,
			method: "PATCH",
			body: { active: false, steps: [{ days_after_due: 1, action: "sms" }], version: 1 },
		});
		expect(changed.body).toMatchObject({ active: false, version: 2, steps: [{ days_after_due: 1, action: "sms" }] });
		const badPatch = await api(`/v1/billing/dunning/rules/${second.id}`, {
			key,
			method: "PATCH",
			body: {
				steps: [
					{ days_after_due: 5, action: "email" },
					{ days_after_due: 4, action: "email" },
				],
			},
		});
		expect(fieldsOf(expectProblem(badPatch, 422, "validation_failed"))).toEqual(["body:steps.1.days_after_due"]);
		expect((await api("/v1/billing/dunning/rules?active=false", { key })).body.data.map((r: any) => r.id)).toEqual([
			second.id,
		]);

		const customer = await newCustomer(key, { dunning_rule_id: second.id });
		expect(customer.dunning_rule_id).toBe(second.id);
		const deleted = await api(`/v1/billing/dunning/rules/${second.id}`, { key, method: "DELETE" });
		expect(deleted.body).toEqual({ id: second.id, object: "dunning_rule", deleted: true });
		expect((await api(`/v1/billing/dunning/rules/${second.id}`, { key })).status).toBe(404);
		expect((await api(`/v1/billing/customers/${customer.id}`, { key })).body.dunning_rule_id).toBeNull();
	});

	it("keeps tenants apart: another tenant's rule is 404, its template and rule ids are unknown here", async () => {
		const mine = await newTenant();
		const theirs = await newTenant();
		const theirTemplate = await reminderTemplate(theirs.key);
		const theirRule = await newRule(theirs.key, { steps: [{ days_after_due: 1, action: "email" }] });
		for (const method of ["GET", "PATCH", "DELETE"]) {
			const res = await api(`/v1/billing/dunning/rules/${theirRule.id}`, {
				key: mine.key,
				method,
				body: method === "PATCH" ? { name: "Mine now" } : undefined,
			});
			expectProblem(res, 404, "not_found");
		}
		expect((await api("/v1/billing/dunning/rules", { key: mine.key })).body.data).toEqual([]);
		const borrowed = await api("/v1/billing/dunning/rules", {
			key: mine.key,
			body: { name: "x", steps: [{ days_after_due: 1, action: "email", template_id: theirTemplate }] },
		});
		expect(expectProblem(borrowed, 422, "validation_failed").errors).toEqual([
			{ location: "body", field: "steps.0.template_id", message: `no template '${theirTemplate}' exists` },
		]);
		const customer = await newCustomer(mine.key);
		const named = await api(`/v1/billing/customers/${customer.id}`, {
			key: mine.key,
			method: "PATCH",
			body: { dunning_rule_id: theirRule.id },
		});
		expect(fieldsOf(expectProblem(named, 422, "validation_failed"))).toEqual(["body:dunning_rule_id"]);
		const run = await runDunning(theirs.key, "2026-02-02");
		expectProblem(await api(`/v1/billing/dunning/jobs/${run.id}`, { key: mine.key }), 404, "not_found");
	});

	it("validates a customer's phone as E.164", async () => {
		const { key } = await newTenant();
		const res = await api("/v1/billing/customers", { key, body: { name: "Acme", phone: "0151 1234" } });
		expect(fieldsOf(expectProblem(res, 422, "validation_failed"))).toEqual(["body:phone"]);
		expect((await newCustomer(key, { phone: "+4915112345678" })).phone).toBe("+4915112345678");
	});
});

describe("dunning runs", () => {
	it("emails step 1 with its template once, step 2 once when its day comes, and nothing for paid invoices", async () => {
		const { key, tenantId } = await tenantWithEmailApi();
		const template = await reminderTemplate(key, "Overdue: {{invoice.number}}");
		const rule = await newRule(key, {
			steps: [
				{ days_after_due: 3, action: "email", template_id: template },
				{ days_after_due: 10, action: "email" },
			],
		});
		const email = `dun-${tenantId.toLowerCase()}@acme.example`;
		const customer = await newCustomer(key, { email });
		const invoice = await overdueInvoice(key, customer.id);
		const paid = await overdueInvoice(key, customer.id);
		await pay(key, { customer_id: customer.id, invoice_id: paid.id, amount: paid.total });
		const mine = async () => (await receivedEmails()).filter((m) => m.To === email);

		expect((await runDunning(key, "2026-02-03")).steps).toEqual([]);
		const first = await runDunning(key, "2026-02-04");
		expect(first.steps).toEqual([
			expect.objectContaining({
				invoice_id: invoice.id,
				customer_id: customer.id,
				rule_id: rule.id,
				days_after_due: 3,
				action: "email",
				template_id: template,
				status: "succeeded",
				error: null,
				delivery_id: expect.stringMatching(/^dlv_/),
				run_date: "2026-02-04",
			}),
		]);
		expect(first.progress).toMatchObject({ processed: 1, succeeded: 1, failed: 0 });
		const sent = await mine();
		expect(sent.map((m) => m.Subject)).toEqual([`Overdue: ${invoice.number}`]);
		expect(sent[0]?.Attachments).toEqual([expect.objectContaining({ Name: `${invoice.number}.pdf` })]);
		const deliveries = (await api(`/v1/billing/invoices/${invoice.id}`, { key })).body.deliveries;
		expect(deliveries).toEqual([
			expect.objectContaining({ id: first.steps[0].delivery_id, kind: "reminder", status: "sent" }),
		]);

		// The same day again, and a day before step 2: nothing twice.
		expect((await runDunning(key, "2026-02-04")).steps).toEqual([]);
		expect((await runDunning(key, "2026-02-10")).steps).toEqual([]);
		const second = await runDunning(key, "2026-02-12");
		expect(second.steps.map((s: any) => [s.invoice_id, s.days_after_due, s.status])).toEqual([
			[invoice.id, 10, "succeeded"],
		]);
		expect((await runDunning(key, "2026-03-30")).steps).toEqual([]);
		expect((await mine()).map((m) => m.Subject)).toEqual([
			`Overdue: ${invoice.number}`,
			expect.stringContaining(invoice.number),
		]);

		const events = await api(`/v1/billing/events?type=invoice.dunning_step`, { key });
		expect(events.body.data).toHaveLength(2);
		const audit = await api(`/v1/billing/audit?target_id=${invoice.id}`, { key });
		expect(audit.body.data.filter((a: any) => a.action === "invoice.dunning_step")).toHaveLength(2);
	});

	it("takes a step whose day passed without a run at the next run, and runs concurrently without doubling", async () => {
		const { key, tenantId } = await tenantWithEmailApi();
		await newRule(key, {
			steps: [
				{ days_after_due: 1, action: "email" },
				{ days_after_due: 5, action: "email" },
			],
		});
		const email = `late-${tenantId.toLowerCase()}@acme.example`;
		const customer = await newCustomer(key, { email });
		const invoice = await overdueInvoice(key, customer.id);
		const runs = await Promise.all([runDunning(key, "2026-02-20"), runDunning(key, "2026-02-20")]);
		const steps = runs.flatMap((run) => run.steps);
		expect(steps.map((s: any) => s.days_after_due).sort()).toEqual([1, 5]);
		expect(steps.every((s: any) => s.invoice_id === invoice.id && s.status === "succeeded")).toBe(true);
		expect((await receivedEmails()).filter((m) => m.To === email)).toHaveLength(2);
	});

	it("takes up its own unfinished steps when its message comes again: the email once, the text message never twice", async () => {
		const { key, tenantId } = await tenantWithEmailApi();
		await configureSms(key);
		const rule = await newRule(key, {
			steps: [
				{ days_after_due: 0, action: "email" },
				{ days_after_due: 1, action: "sms" },
			],
		});
		const email = `resumed-${tenantId.toLowerCase()}@acme.example`;
		const customer = await newCustomer(key, { email, phone: "+4917000000001" });
		const invoice = await overdueInvoice(key, customer.id);
		// A run whose first delivery claimed both steps and stopped before recording either outcome.
		const jobId = newId("job");
		const now = new Date().toISOString();
		await env.DB.prepare(
			"insert into jobs (id, tenant_id, type, status, input, errors, created_at, updated_at) values (?, ?, 'dunning_run', 'running', ?, '[]', ?, ?)",
		)
			.bind(jobId, tenantId, JSON.stringify({ date: "2026-02-05" }), now, now)
			.run();
		const claim = env.DB.prepare(
			"insert into dunning_attempts (id, tenant_id, job_id, invoice_id, customer_id, rule_id, days_after_due, action, status, run_date, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, 'pending', '2026-02-05', ?, ?)",
		);
		await env.DB.batch([
			claim.bind(newId("dunningAttempt"), tenantId, jobId, invoice.id, customer.id, rule.id, 0, "email", now, now),
			claim.bind(newId("dunningAttempt"), tenantId, jobId, invoice.id, customer.id, rule.id, 1, "sms", now, now),
		]);

		const message = { v: 1, job_id: jobId, tenant_id: tenantId };
		expect((await consumeJob(message)).explicitAcks).toEqual(["m1"]);
		expect((await consumeJob(message)).explicitAcks).toEqual(["m1"]);
		const run = (await api(`/v1/billing/dunning/jobs/${jobId}`, { key })).body;
		expect(run.status).toBe("succeeded");
		expect(run.steps.map((s: any) => [s.action, s.status])).toEqual([
			["email", "succeeded"],
			["sms", "failed"],
		]);
		expect(run.steps[1].error).toContain("not sent again");
		expect((await receivedEmails()).filter((m) => m.To === email)).toHaveLength(1);
		expect((await smsReceived()).filter((m) => m.to === "+4917000000001")).toEqual([]);
		// Another run finds both steps taken.
		expect((await runDunning(key, "2026-02-06")).steps).toEqual([]);
	});

	it("records a step it cannot take as failed, with the reason", async () => {
		const { key } = await newTenant();
		await newRule(key, { steps: [{ days_after_due: 0, action: "email" }] });
		const customer = await newCustomer(key);
		const invoice = await overdueInvoice(key, customer.id);
		const run = await runDunning(key, DUE);
		expect(run.steps).toEqual([
			expect.objectContaining({ invoice_id: invoice.id, status: "failed", error: expect.stringContaining("no email") }),
		]);
		expect(run.progress).toMatchObject({ processed: 1, succeeded: 0, failed: 1 });
		expect(run.errors).toEqual([expect.objectContaining({ invoice_id: invoice.id, action: "email" })]);
		expect((await runDunning(key, "2026-02-05")).steps).toEqual([]);
	});

	it("refuses a run dated after the tenant's today", async () => {
		const { key } = await newTenant();
		const res = await api("/v1/billing/dunning/run", { key, body: { date: "2999-01-01" } });
		expect(fieldsOf(expectProblem(res, 422, "validation_failed"))).toEqual(["body:date"]);
	});

	it("follows the customer's own rule and the rule's currency", async () => {
		const { key } = await newTenant();
		await newRule(key, { steps: [{ days_after_due: 0, action: "hold_services" }], is_default: true, currency: "USD" });
		const own = await newRule(key, { name: "Own", steps: [{ days_after_due: 2, action: "hold_services" }] });
		const follower = await newCustomer(key, { dunning_rule_id: own.id });
		const other = await newCustomer(key);
		const followed = await overdueInvoice(key, follower.id);
		await overdueInvoice(key, other.id);
		const run = await runDunning(key, "2026-02-03");
		expect(run.steps.map((s: any) => [s.invoice_id, s.rule_id, s.days_after_due])).toEqual([[followed.id, own.id, 2]]);
	});

	it("puts the customer's services on hold, once, until released", async () => {
		const { key } = await newTenant();
		await newRule(key, { steps: [{ days_after_due: 0, action: "hold_services" }] });
		const customer = await newCustomer(key);
		const invoice = await overdueInvoice(key, customer.id);
		const another = await overdueInvoice(key, customer.id);
		const run = await runDunning(key, "2026-02-02");
		expect(run.steps.map((s: any) => [s.invoice_id, s.action, s.status])).toEqual([
			[invoice.id, "hold_services", "succeeded"],
			[another.id, "hold_services", "succeeded"],
		]);
		const held = (await api(`/v1/billing/customers/${customer.id}`, { key })).body;
		expect(held.services_held_at).toEqual(expect.any(String));
		expect(held.version).toBe(customer.version + 1);
		const events = await api("/v1/billing/events?type=customer.services_held", { key });
		expect(events.body.data).toHaveLength(1);

		const released = await api(`/v1/billing/customers/${customer.id}`, {
			key,
			method: "PATCH",
			body: { services_held_at: null },
		});
		expect(released.body.services_held_at).toBeNull();
	});

	it("texts the customer through the tenant's SMS API, and fails the step without a phone or an SMS API", async () => {
		const { key } = await newTenant();
		const configured = await configureSms(key);
		expect(configured.status).toBe(200);
		expect(configured.body.sms_transport).toEqual({
			endpoint: inject("smsApiUrl"),
			account_sid: FAKE_SMS_ACCOUNT,
			from: "+4930123456",
		});
		expect(configured.text).not.toContain(FAKE_SMS_TOKEN);
		await newRule(key, { steps: [{ days_after_due: 0, action: "sms" }] });
		const phone = `+49151${String(Date.now()).slice(-8)}`;
		const texted = await newCustomer(key, { phone });
		const silent = await newCustomer(key);
		const invalid = await newCustomer(key, { phone: FAKE_SMS_INVALID_NUMBER });
		const invoice = await overdueInvoice(key, texted.id);
		const noPhone = await overdueInvoice(key, silent.id);
		const refused = await overdueInvoice(key, invalid.id);

		const run = await runDunning(key, DUE);
		const byInvoice = new Map(run.steps.map((s: any) => [s.invoice_id, s]));
		expect(byInvoice.get(invoice.id)).toMatchObject({
			action: "sms",
			status: "succeeded",
			provider_message_id: expect.stringMatching(/^SM/),
		});
		expect(byInvoice.get(noPhone.id)).toMatchObject({ status: "failed", error: "the customer has no phone number" });
		expect(byInvoice.get(refused.id)).toMatchObject({ status: "failed", error: expect.stringContaining("21211") });
		const texts = (await smsReceived()).filter((m) => m.to === phone);
		expect(texts).toHaveLength(1);
		expect(texts[0]).toMatchObject({ account: FAKE_SMS_ACCOUNT, from: "+4930123456" });
		expect(texts[0]?.body).toContain(invoice.number);

		const unconfigured = await newTenant();
		await newRule(unconfigured.key, { steps: [{ days_after_due: 0, action: "sms" }] });
		const customer = await newCustomer(unconfigured.key, { phone });
		await overdueInvoice(unconfigured.key, customer.id);
		const failed = await runDunning(unconfigured.key, DUE);
		expect(failed.steps).toEqual([
			expect.objectContaining({ status: "failed", error: expect.stringContaining("no SMS transport is configured") }),
		]);
	});

	it("opens one collection case per customer once an invoice went through every step", async () => {
		const { key } = await newTenant();
		const rule = await newRule(key, {
			steps: [
				{ days_after_due: 1, action: "hold_services" },
				{ days_after_due: 8, action: "hold_services" },
			],
			escalation: "case",
		});
		const customer = await newCustomer(key);
		const bystander = await newCustomer(key);
		const first = await overdueInvoice(key, customer.id);
		const second = await overdueInvoice(key, customer.id);
		await runDunning(key, "2026-02-03");
		expect((await api("/v1/billing/collections/cases", { key })).body.data).toEqual([]);
		await runDunning(key, "2026-02-10");
		await runDunning(key, "2026-02-11");
		const cases = await api(`/v1/billing/collections/cases?status=open&customer_id=${customer.id}`, { key });
		expect(cases.body.data).toEqual([
			expect.objectContaining({
				object: "collection_case",
				customer_id: customer.id,
				rule_id: rule.id,
				invoice_ids: [first.id, second.id],
				status: "open",
				resolved_at: null,
			}),
		]);
		expect((await api(`/v1/billing/collections/cases?customer_id=${bystander.id}`, { key })).body.data).toEqual([]);
		expect((await api("/v1/billing/collections/cases?status=resolved", { key })).body.data).toEqual([]);
		const opened = await api("/v1/billing/events?type=collection_case.opened", { key });
		expect(opened.body.data).toHaveLength(1);

		const caseId = cases.body.data[0].id;
		const resolved = await api(`/v1/billing/collections/cases/${caseId}/resolve`, {
			key,
			body: { resolution: "Payment plan agreed" },
		});
		expect(resolved.body).toMatchObject({ status: "resolved", resolution: "Payment plan agreed", version: 3 });
		expect(resolved.body.resolved_at).toEqual(expect.any(String));
		expectProblem(
			await api(`/v1/billing/collections/cases/${caseId}/resolve`, { key, body: { resolution: "Again" } }),
			409,
			"invalid_state",
		);
		expect((await api(`/v1/billing/collections/cases/${caseId}`, { key })).body).toEqual(resolved.body);
		const empty = await api(`/v1/billing/collections/cases/${caseId}/resolve`, { key, body: { resolution: " " } });
		expect(fieldsOf(expectProblem(empty, 422, "validation_failed"))).toEqual(["body:resolution"]);

		// Resolved, the invoices stay resolved: the next runs take nothing and open nothing.
		await runDunning(key, "2026-02-20");
		expect((await api("/v1/billing/collections/cases?status=open", { key })).body.data).toEqual([]);
	});
});
