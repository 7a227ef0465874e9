// Bulk invoice import: NDJSON, one invoice-create body per line, processed by the jobs queue. Each
// line lands whole or not at all (one batch per invoice) and at most once (`source_ref` is unique per
// tenant), so a retried or resumed job never imports a line twice.
import type { ServiceContext } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { invoiceCreateBody } from "../../schemas/invoice";
import { fieldErrorsOf } from "../../schemas/validation";
import { finishImport, type ImportSource, importLines, type LineError, startImport } from "../jobs/imports";
import { type JobRow, saveJobProgress } from "../jobs/jobs";
import { createInvoice } from "./createInvoice";

export const MAX_IMPORT_LINES = 10_000;
const PROGRESS_EVERY = 25;

/** Stores the NDJSON durably (or checks the named object), records the job, then enqueues it. */
export const startInvoiceImport = ({ ctx, source }: { ctx: ServiceContext; source: ImportSource }) =>
	startImport(ctx, "invoice_import", source);

/** Runs (or resumes, from its last checkpoint) an import job. */
export async function runInvoiceImport(ctx: ServiceContext, job: JobRow): Promise<void> {
	const entries = await importLines(ctx, job);
	if (!entries) return;
	const now = () => ctx.clock.now().toISOString();
	const errors = job.errors as LineError[];
	const state: JobRow = { ...job, status: "running", total: entries.length, errors };
	if (entries.length > MAX_IMPORT_LINES) {
		errors.push({ line: 0, code: "validation_failed", detail: `An import holds at most ${MAX_IMPORT_LINES} lines.` });
		return finishImport(ctx, { ...state, status: "failed" }, errors);
	}
	for (const entry of entries.slice(state.processed)) {
		const error = await importLine(ctx, job.id, entry);
		if (error) {
			errors.push(error);
			state.failed += 1;
		} else {
			state.succeeded += 1;
		}
		state.processed += 1;
		if (state.processed % PROGRESS_EVERY === 0) await saveJobProgress(ctx.db, { ...state, updatedAt: now() });
	}
	await finishImport(ctx, { ...state, status: "succeeded" }, errors);
}

async function importLine(
	ctx: ServiceContext,
	jobId: string,
	entry: { line: number; text: string },
): Promise<LineError | null> {
	let body: unknown;
	try {
		body = JSON.parse(entry.text);
	} catch (error) {
		return { line: entry.line, code: "malformed_json", detail: (error as Error).message };
	}
	const parsed = invoiceCreateBody.safeParse(body, { reportInput: true });
	if (!parsed.success) {
		const errors = fieldErrorsOf(parsed.error.issues, "body");
		return { line: entry.line, code: "validation_failed", detail: "The line is not a valid invoice.", errors };
	}
	try {
		await createInvoice({ ctx, input: parsed.data, sourceRef: `import:${jobId}:${entry.line}` });
		return null;
	} catch (error) {
		if (!(error instanceof AppError)) throw error;
		// Imported by an earlier attempt of this job that stopped before saving its progress.
		if (error.code === "conflict" && error.extensions?.source_ref) return null;
		return {
			line: entry.line,
			code: error.code,
			detail: error.message,
			...(error.errors ? { errors: error.errors } : {}),
		};
	}
}
