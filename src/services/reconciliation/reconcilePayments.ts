import { and, eq, inArray } from "drizzle-orm";
import { runBatch } from "../../db/client";
import { invoices, payments, reconciliations } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import { matchLine } from "../../domain/reconciliation";
import type { ServiceContext } from "../../lib/context";
import { sha256Hex } from "../../lib/crypto";
import { AppError, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import {
	presentReconciliation,
	type ReconciledLine,
	type ReconcileInput,
	type ReconciliationRow,
} from "../../schemas/reconciliation";
import { enqueueJob, type JobRow, newJob, saveJobProgress } from "../jobs/jobs";
import { recordPayment } from "../payments/recordPayment";

type StoredInput = { reconciliation_id: string; payment_method: ReconcileInput["payment_method"] };

export async function loadReconciliation(
	ctx: Pick<ServiceContext, "db" | "tenantId">,
	id: string,
): Promise<ReconciliationRow> {
	const row = await ctx.db
		.select()
		.from(reconciliations)
		.where(idInTenant(reconciliations, ctx.tenantId, id))
		.get();
	if (!row) throw notFound("reconciliation", id);
	return row;
}

/** Stores the statement and queues the matching job; answers at once with the pending report. */
export async function startReconciliation({ ctx, input }: { ctx: ServiceContext; input: ReconcileInput }) {
	const id = newId("reconciliation");
	const stored: StoredInput = { reconciliation_id: id, payment_method: input.payment_method };
	const { row: job, statements } = newJob(ctx, "payment_reconciliation", stored);
	const row: ReconciliationRow = {
		id,
		tenantId: ctx.tenantId,
		jobId: job.id,
		status: "pending",
		confirm: input.confirm,
		lines: input.lines,
		results: null,
		createdAt: ctx.clock.now().toISOString(),
		completedAt: null,
	};
	await runBatch(ctx.db, [ctx.db.insert(reconciliations).values(row), ...statements]);
	await enqueueJob(ctx.env, job);
	return presentReconciliation(row);
}

/**
 * The job: matches every line against open invoices and recorded payments; with `confirm`, records a
 * payment for each line matched to an invoice. The payment's request key is derived from the line, so
 * a retried job — or the same line in a later statement — never records it twice.
 */
export async function runReconciliation(ctx: ServiceContext, job: JobRow): Promise<void> {
	const input = job.input as StoredInput;
	const reconciliation = await loadReconciliation(ctx, input.reconciliation_id);
	const lines = reconciliation.lines as ReconciledLine[];
	const [open, recorded] = await ctx.db.batch([
		ctx.db
			.select()
			.from(invoices)
			.where(and(eq(invoices.tenantId, ctx.tenantId), inArray(invoices.status, ["issued", "partially_paid"]))),
		ctx.db.select().from(payments).where(eq(payments.tenantId, ctx.tenantId)),
	]);
	const invoiceRefs = open.map((i) => ({
		id: i.id,
		number: i.number ?? "",
		customerId: i.customerId,
		currency: i.currency,
		balance: i.balance,
	}));
	const paymentRefs = recorded.map((p) => ({
		id: p.id,
		reference: p.reference,
		amount: p.amount,
		currency: p.currency,
		paidOn: p.paidAt.slice(0, 10),
	}));
	const results: ReconciledLine[] = [];
	for (const [index, line] of lines.entries()) {
		const match = matchLine(line, invoiceRefs, paymentRefs);
		const result: ReconciledLine = { ...line, index, ...match };
		if (reconciliation.confirm && match.status === "matched" && "invoice_id" in match) {
			const requestKey = `reconciliation:${await sha256Hex(JSON.stringify([line.date, line.amount, line.currency, line.reference ?? "", line.description ?? "", match.invoice_id]))}`;
			try {
				const payment = await recordPayment({
					ctx,
					requestKey,
					input: {
						customer_id: match.customer_id,
						invoice_id: match.invoice_id,
						amount: line.amount,
						currency: line.currency,
						paid_at: `${line.date}T00:00:00.000Z`,
						payment_method: input.payment_method,
						reference: line.reference,
					},
				});
				Object.assign(result, { recorded: true, payment_id: payment.id });
				const invoice = invoiceRefs.find((i) => i.id === match.invoice_id);
				if (invoice) invoice.balance = Math.max(0, invoice.balance - line.amount);
			} catch (error) {
				if (!(error instanceof AppError)) throw error;
				Object.assign(result, { recorded: false, error: { code: error.code, detail: error.message } });
			}
		}
		results.push(result);
	}
	const now = ctx.clock.now().toISOString();
	await runBatch(ctx.db, [
		ctx.db
			.update(reconciliations)
			.set({ status: "completed", results, completedAt: now })
			.where(idInTenant(reconciliations, ctx.tenantId, reconciliation.id)),
	]);
	await saveJobProgress(ctx.db, {
		...job,
		status: "succeeded",
		total: lines.length,
		processed: lines.length,
		succeeded: results.filter((r) => r.status === "matched").length,
		failed: results.filter((r) => r.status !== "matched").length,
		result: { reconciliation_id: reconciliation.id },
		updatedAt: now,
		finishedAt: now,
	});
}
