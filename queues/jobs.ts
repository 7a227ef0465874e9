import { type Database, database } from "../src/db/client";
import { type Env, logLevelOf } from "../src/env";
import { systemClock } from "../src/lib/clock";
import type { ServiceContext } from "../src/lib/context";
import { AppError } from "../src/lib/errors";
import { newId } from "../src/lib/ids";
import { createLogger, type Logger } from "../src/lib/logger";
import { type JobMessage, type JobType, jobMessage } from "../src/schemas/job";
import { runCustomerImport } from "../src/services/customers/importCustomers";
import { attemptDelivery } from "../src/services/deliveries/deliverDocument";
import { ensureIssuedDocument } from "../src/services/documents/issuedDocuments";
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

/** Stores an issued document's PDF; a source that is gone (or still a draft) has nothing to store. */
async function renderDocument(
	message: Message,
	env: Env,
	db: Database,
	logger: Logger,
	{ tenant_id, document, source_id }: Extract<JobMessage, { kind: "render_document" }>,
) {
	try {
		await ensureIssuedDocument(systemContext(env, db, tenant_id, logger), document, source_id);
		message.ack();
	} catch (error) {
		if (error instanceof AppError && error.status < 500) {
			logger.warn("document not rendered", { document, source_id, error: error.message });
			message.ack();
			return;
		}
		logger.error("document render failed; retrying", { document, source_id, error: (error as Error).message });
		message.retry({ delaySeconds: retryDelay(message) });
	}
}

/** Another attempt at a queued email; the attempt itself queues the next one when it fails again. */
async function deliverEmail(
	message: Message,
	env: Env,
	db: Database,
	logger: Logger,
	{ tenant_id, delivery_id }: Extract<JobMessage, { kind: "deliver_email" }>,
) {
	try {
		await attemptDelivery(systemContext(env, db, tenant_id, logger), delivery_id);
		message.ack();
	} catch (error) {
		if (error instanceof AppError && error.status < 500) {
			logger.warn("delivery not attempted", { delivery_id, error: error.message });
			message.ack();
			return;
		}
		logger.error("delivery attempt failed; retrying", { delivery_id, error: (error as Error).message });
		message.retry({ delaySeconds: retryDelay(message) });
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
	if ("kind" in parsed.data && parsed.data.kind === "render_document") {
		return renderDocument(message, env, db, logger, parsed.data);
	}
	if ("kind" in parsed.data && parsed.data.kind === "deliver_email") {
		return deliverEmail(message, env, db, logger, parsed.data);
	}
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
