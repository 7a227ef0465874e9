// Payment imports: each record is a payment-create body, recorded inside its customer's account object
// like any other payment. A chunk's payments go account by account: one account's in file order, one
// at a time, several accounts side by side. A payment whose external_id is recorded already is
// skipped (payments are never replaced: a wrong one is refunded), so the same file imported again
// records nothing; every refused line raises `payment.failed`.
import { and, eq } from "drizzle-orm";
import { callAccount } from "../../../durable-objects/account/client";
import { inJsonArray } from "../../db/chunks";
import { runBatch } from "../../db/client";
import { payments } from "../../db/schema";
import type { ImportRecord, LineError } from "../../domain/importRecords";
import type { ServiceContext } from "../../lib/context";
import { type PaymentCreateInput, paymentCreateBody } from "../../schemas/payment";
import { fieldErrorsOf } from "../../schemas/validation";
import { changeStatements } from "../changeLog";
import { type Importer, lineErrorOf, type Outcome, refusedLine, runImport } from "../jobs/imports";
import type { JobRow } from "../jobs/jobs";

/** Accounts whose payments are recorded at the same time. */
const ACCOUNTS_AT_ONCE = 32;

type Payable = { line: number; input: PaymentCreateInput };

export const paymentImporter: Importer = {
	shape: { fields: Object.keys(paymentCreateBody.shape), integers: ["amount"] },
	maxRecords: 100_000,
	chunkSize: 1_000,
	async importChunk(ctx, records, job) {
		const outcomes = new Map<number, Outcome>();
		const payable: Payable[] = [];
		for (const { line, fields } of records) {
			const parsed = paymentCreateBody.safeParse(fields, { reportInput: true });
			if (parsed.success) payable.push({ line, input: parsed.data });
			else {
				const errors = fieldErrorsOf(parsed.error.issues, "body");
				outcomes.set(line, lineErrorOf(line, "validation_failed", "The line is not a valid payment.", errors));
			}
		}
		const recorded = await recordedExternalIds(ctx, payable);
		const byAccount = new Map<string, Payable[]>();
		for (const payment of payable) {
			if (payment.input.external_id && recorded.has(payment.input.external_id)) {
				outcomes.set(payment.line, "skipped");
				continue;
			}
			const queue = byAccount.get(payment.input.customer_id) ?? [];
			queue.push(payment);
			byAccount.set(payment.input.customer_id, queue);
		}
		const accounts = [...byAccount.values()];
		// An account's payments are handed to its object together, in file order: it records them one at a
		// time, and commits those it prepares while a batch is in flight together in the next one.
		const worker = async () => {
			for (let queue = accounts.shift(); queue; queue = accounts.shift()) {
				await Promise.all(
					queue.map(async ({ line, input }) => {
						outcomes.set(line, await recordOne(ctx, job.id, line, input));
					}),
				);
			}
		};
		await Promise.all(Array.from({ length: Math.min(ACCOUNTS_AT_ONCE, accounts.length) }, worker));
		await announceFailures(ctx, job.id, records, outcomes);
		return records.map(({ line }) => outcomes.get(line) as Outcome);
	},
};

/** The chunk's external ids already recorded (by an earlier import of the file, or an earlier attempt). */
async function recordedExternalIds(ctx: ServiceContext, payable: Payable[]) {
	const ids = payable.flatMap((p) => (p.input.external_id ? [p.input.external_id] : []));
	if (ids.length === 0) return new Set<string>();
	const rows = await ctx.db
		.select({ externalId: payments.externalId })
		.from(payments)
		.where(and(eq(payments.tenantId, ctx.tenantId), inJsonArray(payments.externalId, ids)));
	return new Set(rows.map((r) => r.externalId));
}

async function recordOne(
	ctx: ServiceContext,
	jobId: string,
	line: number,
	input: PaymentCreateInput,
): Promise<Outcome> {
	try {
		// The job and line make the payment's request key: a resumed chunk finds what it recorded already.
		await callAccount(ctx, input.customer_id, "recordPayment", { ...input, requestKey: `import:${jobId}:${line}` });
		return "created";
	} catch (error) {
		return refusedLine(line, error);
	}
}

/** Every refused line of the chunk as a `payment.failed` event, in one batch. */
async function announceFailures(
	ctx: ServiceContext,
	jobId: string,
	records: ImportRecord[],
	outcomes: Map<number, Outcome>,
) {
	const failures = records.flatMap(({ line, fields }) => {
		const outcome = outcomes.get(line);
		return typeof outcome === "object" ? [{ fields, error: outcome }] : [];
	});
	if (failures.length === 0) return;
	await runBatch(
		ctx.db,
		changeStatements(
			ctx,
			...failures.map(({ fields, error }: { fields: Record<string, unknown>; error: LineError }) => ({
				action: "payment.failed",
				target: { type: "job", id: jobId },
				before: null,
				after: {
					object: "payment_failure",
					source: "import",
					job_id: jobId,
					line: error.line,
					customer_id: fields.customer_id ?? null,
					invoice_id: fields.invoice_id ?? null,
					amount: fields.amount ?? null,
					currency: fields.currency ?? null,
					external_id: fields.external_id ?? null,
					reference: fields.reference ?? null,
					failure_code: error.code,
					failure_field: error.field,
					failure_message: error.message,
				},
			})),
		),
	);
}

/** Runs (or resumes, from its last checkpoint) a payment import job. */
export const runPaymentImport = (ctx: ServiceContext, job: JobRow) => runImport(ctx, job, paymentImporter);
