import { type Database, database } from "../src/db/client";
import { type Env, logLevelOf } from "../src/env";
import { systemClock } from "../src/lib/clock";
import type { ServiceContext } from "../src/lib/context";
import { AppError } from "../src/lib/errors";
import { newId } from "../src/lib/ids";
import { createLogger, type Logger } from "../src/lib/logger";
import { type JobMessage, type JobType, jobMessage } from "../src/schemas/job";
import { runCustomerImport } from "../src/services/customers/importCustomers";
import { attemptDelivery } from "../src/services/deliveries/emailDeliveries";
import { ensureIssuedDocument } from "../src/services/documents/issuedDocuments";
import { runDunningJob } from "../src/services/dunning/runDunning";
import { attemptSubmission } from "../src/services/einvoices/submitEInvoice";
import { announceEvents } from "../src/services/events/events";
import { runInvoiceImport } from "../src/services/invoices/importInvoices";
import { JobCanceled, type JobRow, loadJob } from "../src/services/jobs/jobs";
import { runJournalImport } from "../src/services/ledger/importJournals";
import { runAccountingExport, runGlReconciliation, runLedgerSync } from "../src/services/ledger/ledgerJobs";
import { runPaymentImport } from "../src/services/payments/importPayments";
import { runReconciliation } from "../src/services/reconciliation/reconcilePayments";
import { billAccounts, runRecurringRun } from "../src/services/subscriptions/recurringRun";
import { runTaxReport } from "../src/services/tax/taxReport";
import { runUsageAggregation, runUsageImport } from "../src/services/usage/usageJobs";

const retryDelay = (message: Message) => Math.min(2 ** message.attempts, 300);

/** A context for work the queue does on a tenant's behalf, outside any request. */
const systemContext = (env: Env, db: Database, tenantId: string, logger: Logger): ServiceContext => ({
	db,
	env,
	tenantId,
	actor: { type: "api_key", id: "system" },
	requestId: newId("request"),
	clock: systemClock,
	logger,
});

/**
 * One message's piece of work outside any job row: acked once done, or when no retry can help (the work
 * refused it, e.g. its source is gone or still a draft), retried with backoff otherwise. Email deliveries
 * and e-invoice submissions queue their own next attempt when they fail for now.
 */
async function attemptOnce(
	message: Message,
	logger: Logger,
	what: string,
	details: Record<string, string>,
	work: () => Promise<unknown>,
) {
	try {
		await work();
		message.ack();
	} catch (error) {
		if (error instanceof AppError && error.status < 500) {
			logger.warn(`${what} not attempted`, { ...details, error: error.message });
			message.ack();
			return;
		}
		logger.error(`${what} failed; retrying`, { ...details, error: (error as Error).message });
		message.retry({ delaySeconds: retryDelay(message) });
	}
}

/** The messages that carry one piece of work rather than a job. */
const ATTEMPTS = ["render_document", "deliver_email", "submit_einvoice"] as const;
type AttemptMessage = Extract<JobMessage, { kind: (typeof ATTEMPTS)[number] }>;
const isAttempt = (body: JobMessage): body is AttemptMessage =>
	"kind" in body && (ATTEMPTS as readonly string[]).includes(body.kind);

function attemptMessage(message: Message, env: Env, db: Database, logger: Logger, body: AttemptMessage) {
	const ctx = () => systemContext(env, db, body.tenant_id, logger);
	switch (body.kind) {
		case "render_document":
			return attemptOnce(
				message,
				logger,
				"document render",
				{ document: body.document, source_id: body.source_id },
				() => ensureIssuedDocument(ctx(), body.document, body.source_id),
			);
		case "deliver_email":
			return attemptOnce(message, logger, "email delivery", { delivery_id: body.delivery_id }, () =>
				attemptDelivery(ctx(), body.delivery_id),
			);
		case "submit_einvoice":
			return attemptOnce(message, logger, "e-invoice submission", { submission_id: body.submission_id }, () =>
				attemptSubmission(ctx(), body.submission_id),
			);
	}
}

const runners: Record<JobType, (ctx: ServiceContext, job: JobRow) => Promise<void>> = {
	invoice_import: runInvoiceImport,
	payment_reconciliation: runReconciliation,
	gl_reconciliation: runGlReconciliation,
	accounting_export: runAccountingExport,
	ledger_sync: runLedgerSync,
	recurring_run: runRecurringRun,
	usage_aggregate: runUsageAggregation,
	usage_import: runUsageImport,
	payment_import: runPaymentImport,
	journal_import: runJournalImport,
	customer_import: runCustomerImport,
	tax_report: runTaxReport,
	dunning_run: runDunningJob,
};

/**
 * The `jobs` queue: each message names a job (or one account of a recurring run); the job row says
 * what to do and how far it got, so a redelivered message resumes the job (or finds it finished)
 * instead of doing the work twice.
 */
export async function consumeJobs(batch: MessageBatch, env: Env): Promise<void> {
	const db = database(env.DB);
	// Messages name different jobs or different accounts (each billed inside its own account object):
	// run them side by side rather than one after another.
	await Promise.all(batch.messages.map((message) => consumeJob(batch.queue, message, env, db)));
}

async function consumeJob(queue: string, message: Message, env: Env, db: Database) {
	const logger = createLogger({ queue, message_id: message.id }, logLevelOf(env));
	const parsed = jobMessage.safeParse(message.body);
	if (!parsed.success) {
		// No retry can fix a malformed message: it goes to the dead-letter queue for inspection.
		logger.error("malformed job message", { body: message.body });
		message.retry({ delaySeconds: 0 });
		return;
	}
	if (isAttempt(parsed.data)) return attemptMessage(message, env, db, logger, parsed.data);
	const { job_id, tenant_id } = parsed.data;
	try {
		const job = await loadJob({ db, tenantId: tenant_id }, job_id);
		if (job.status === "queued" || job.status === "running") {
			// The events this delivery commits carry its own request id, so they are announced together.
			const requestId = newId("request");
			const ctx: ServiceContext = {
				db,
				env,
				tenantId: tenant_id,
				actor: { type: "api_key", id: job.createdBy ?? "system" },
				requestId,
				clock: systemClock,
				logger: logger.child({ job_id, tenant_id, request_id: requestId }),
			};
			const run =
				"kind" in parsed.data
					? billAccounts(ctx, {
							job_id,
							customer_ids: parsed.data.kind === "bill_accounts" ? parsed.data.customer_ids : [parsed.data.customer_id],
							date: parsed.data.date,
						})
					: runners[job.type as JobType](ctx, job);
			// A job canceled while it ran stops at its checkpoint: done, not failed, and not retried.
			await run.catch((error) => {
				if (!(error instanceof JobCanceled)) throw error;
				ctx.logger.info("job canceled; stopped at its checkpoint");
			});
			await announceEvents(env, tenant_id, requestId).catch((error) =>
				ctx.logger.warn("event dispatch failed; the outbox sweep will retry", { error: (error as Error).message }),
			);
		}
		message.ack();
	} catch (error) {
		logger.error("job failed; retrying", { job_id, error: (error as Error).message, attempts: message.attempts });
		message.retry({ delaySeconds: retryDelay(message) });
	}
}
