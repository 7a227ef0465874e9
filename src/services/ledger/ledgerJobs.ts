// Asynchronous ledger work: the GL reconciliation, accounting exports and the ERP sync.
import { and, asc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import { invoices, journalEntries, journalLines, tenants } from "../../db/schema";
import { type ExportFormat, renderExport } from "../../domain/accountingExport";
import { accountCodeFor } from "../../domain/ledger";
import type { ServiceContext } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { type JobRow, saveJobProgress, startJob } from "../jobs/jobs";
import { encodeCursor } from "../pagination";
import { post } from "../webhooks/deliver";
import { describeAccount, loadChart } from "./chart";
import { listJournals } from "./journals";

/** A list cursor that resumes after the entry with this id. */
const afterCursor = (id: string) => encodeCursor({ id, order: "asc" });

async function finish(ctx: ServiceContext, job: JobRow, result: unknown, extra: Partial<JobRow> = {}) {
	const at = ctx.clock.now().toISOString();
	await saveJobProgress(ctx.db, {
		...job,
		status: "succeeded",
		processed: job.total ?? 0,
		result,
		updatedAt: at,
		finishedAt: at,
		...extra,
	});
}

/**
 * Compares the accounts-receivable control account with the open invoices it should equal, per
 * customer and currency, and reports every difference.
 */
export async function runGlReconciliation(ctx: ServiceContext, job: JobRow): Promise<void> {
	const chart = await loadChart(ctx);
	const arCode = accountCodeFor({ role: "accounts_receivable" }, chart);
	const [ledger, open] = await ctx.db.batch([
		ctx.db
			.select({
				customerId: journalLines.customerId,
				currency: journalLines.currency,
				balance: sql<number>`sum(${journalLines.debit} - ${journalLines.credit})`,
			})
			.from(journalLines)
			.where(and(eq(journalLines.tenantId, ctx.tenantId), eq(journalLines.accountCode, arCode)))
			.groupBy(journalLines.customerId, journalLines.currency),
		ctx.db
			.select({
				customerId: invoices.customerId,
				currency: invoices.currency,
				balance: sql<number>`sum(${invoices.balance})`,
			})
			.from(invoices)
			.where(and(eq(invoices.tenantId, ctx.tenantId), inArray(invoices.status, ["issued", "partially_paid"])))
			.groupBy(invoices.customerId, invoices.currency),
	]);
	const keys = new Set([...ledger, ...open].map((r) => `${r.customerId ?? ""}|${r.currency}`));
	const rows = [...keys].sort().map((key) => {
		const [customerId, currency] = key.split("|") as [string, string];
		const ledgerAr = ledger.find((r) => (r.customerId ?? "") === customerId && r.currency === currency)?.balance ?? 0;
		const receivable = open.find((r) => r.customerId === customerId && r.currency === currency)?.balance ?? 0;
		return {
			customer_id: customerId || null,
			currency,
			ledger_ar: ledgerAr,
			open_receivables: receivable,
			difference: ledgerAr - receivable,
		};
	});
	const differences = rows.filter((r) => r.difference !== 0);
	await finish(
		ctx,
		{ ...job, total: rows.length },
		{ account_code: arCode, customers_checked: rows.length, in_balance: differences.length === 0, differences },
		{ succeeded: rows.length - differences.length, failed: differences.length },
	);
}

type ExportInput = {
	format: ExportFormat;
	from: string;
	to: string;
	tax_rate?: string;
	account_names?: Record<string, string>;
	/** The key prefix under the tenant's own; exports started before destinations were chosen have none. */
	destination?: string | null;
};

/** Writes the journals of a date range to R2 in the chosen layout; the job links the file. */
export async function runAccountingExport(ctx: ServiceContext, job: JobRow): Promise<void> {
	const input = job.input as ExportInput;
	const chart = await loadChart(ctx);
	const rows = await ctx.db
		.select({ entry: journalEntries, line: journalLines })
		.from(journalLines)
		.innerJoin(journalEntries, eq(journalEntries.id, journalLines.entryId))
		.where(
			and(
				eq(journalLines.tenantId, ctx.tenantId),
				gte(journalEntries.entryDate, input.from),
				lte(journalEntries.entryDate, input.to),
			),
		)
		.orderBy(asc(journalEntries.entryDate), asc(journalEntries.id), asc(journalLines.lineNo));
	const text = renderExport(
		input.format,
		rows.map(({ entry, line }) => ({
			entryId: entry.id,
			entryDate: entry.entryDate,
			description: entry.description,
			sourceType: entry.sourceType,
			sourceId: entry.sourceId,
			customerId: entry.customerId,
			currency: line.currency,
			accountCode: line.accountCode,
			accountName: describeAccount(chart, line.accountCode).name,
			debit: line.debit,
			credit: line.credit,
			lineDescription: line.description,
		})),
		{ taxRate: input.tax_rate, accountNames: input.account_names },
	);
	const key = `${ctx.tenantId}/${input.destination ?? "exports/"}${job.id}.${input.format}.csv`;
	await ctx.env.FILES.put(key, text, { httpMetadata: { contentType: "text/csv; charset=utf-8" } });
	const entries = new Set(rows.map((r) => r.entry.id)).size;
	await finish(
		ctx,
		{ ...job, total: rows.length },
		{ format: input.format, entries, lines: rows.length },
		{ resultKey: key, succeeded: rows.length },
	);
}

const SYNC_BATCH = 100;

const ERP_NOT_CONFIGURED = "No ERP webhook URL is configured; set erp_webhook_url in settings.";

/** Starts an ERP sync, refused at once when there is no ERP to send to (rather than a job bound to fail). */
export async function startLedgerSync(ctx: ServiceContext): Promise<JobRow> {
	const tenant = await ctx.db
		.select({ url: tenants.erpWebhookUrl, secret: tenants.erpWebhookSecret })
		.from(tenants)
		.where(eq(tenants.id, ctx.tenantId))
		.get();
	if (!tenant?.url || !tenant.secret) {
		throw new AppError("invalid_state", ERP_NOT_CONFIGURED, { extensions: { setting: "erp_webhook_url" } });
	}
	return startJob(ctx, "ledger_sync", {});
}

/**
 * Pushes journals the ERP has not received yet, oldest first, in signed batches. The cursor moves only
 * after the ERP accepted a batch, and a batch sent again carries the same webhook-id, so re-running
 * the sync — or a retry after a crash — never makes the ERP book an entry twice.
 */
export async function runLedgerSync(ctx: ServiceContext, job: JobRow): Promise<void> {
	const tenant = await ctx.db.select().from(tenants).where(eq(tenants.id, ctx.tenantId)).get();
	const at = () => ctx.clock.now().toISOString();
	if (!tenant?.erpWebhookUrl || !tenant.erpWebhookSecret) {
		await saveJobProgress(ctx.db, {
			...job,
			status: "failed",
			errors: [{ code: "invalid_state", detail: ERP_NOT_CONFIGURED }],
			updatedAt: at(),
			finishedAt: at(),
		});
		return;
	}
	let cursor = tenant.ledgerSyncedThrough ?? "";
	let sent = 0;
	for (;;) {
		const page = await listJournals({
			ctx,
			query: { limit: SYNC_BATCH, order: "asc", ...(cursor ? { cursor: afterCursor(cursor) } : {}) },
		});
		if (page.data.length === 0) break;
		const last = page.data.at(-1)?.id as string;
		const body = JSON.stringify({ type: "ledger.sync", timestamp: at(), data: { entries: page.data } });
		const outcome = await post(
			{ url: tenant.erpWebhookUrl, secret: tenant.erpWebhookSecret },
			`sync_${last}`,
			body,
			ctx.clock.now(),
		);
		if (!outcome.ok) {
			await saveJobProgress(ctx.db, {
				...job,
				status: "failed",
				processed: sent,
				succeeded: sent,
				errors: [
					{
						code: "erp_unavailable",
						detail: `The ERP answered ${outcome.statusCode ?? outcome.error}; run the sync again.`,
					},
				],
				result: { synced: sent, synced_through: cursor || null },
				updatedAt: at(),
				finishedAt: at(),
			});
			return;
		}
		await ctx.db.update(tenants).set({ ledgerSyncedThrough: last }).where(eq(tenants.id, ctx.tenantId));
		cursor = last;
		sent += page.data.length;
		if (!page.has_more) break;
	}
	await finish(ctx, { ...job, total: sent }, { synced: sent, synced_through: cursor || null }, { succeeded: sent });
}
