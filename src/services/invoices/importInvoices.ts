// Bulk invoice import: NDJSON, one invoice-create body per line, processed by the jobs queue. Each
// line lands whole or not at all (one batch per invoice) and at most once (`source_ref` is unique per
// tenant), so a retried or resumed job never imports a line twice.
import { runBatch } from "../../db/client";
import type { ServiceContext } from "../../lib/context";
import { AppError, fieldInvalid } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { invoiceCreateBody } from "../../schemas/invoice";
import { fieldErrorsOf } from "../../schemas/validation";
import { enqueueJob, type JobRow, newJob, saveJobProgress } from "../jobs/jobs";
import { createInvoice } from "./createInvoice";

export const MAX_IMPORT_LINES = 10_000;
const PROGRESS_EVERY = 25;

type ImportSource = { ndjson: string } | { objectKey: string };
type ImportInput = { object_key: string };
type LineError = { line: number; code: string; detail: string; errors?: unknown };

/** Object keys a tenant may import from: its own prefix only. */
const tenantPrefix = (tenantId: string) => `${tenantId}/`;

/** Stores the NDJSON durably (or checks the named object), records the job, then enqueues it. */
export async function startInvoiceImport({ ctx, source }: { ctx: ServiceContext; source: ImportSource }) {
	let objectKey: string;
	const jobId = newId("job");
	if ("ndjson" in source) {
		if (source.ndjson.trim() === "") throw fieldInvalid("body", "body", "holds no NDJSON lines");
		objectKey = `${tenantPrefix(ctx.tenantId)}imports/${jobId}.ndjson`;
		await ctx.env.FILES.put(objectKey, source.ndjson, { httpMetadata: { contentType: "application/x-ndjson" } });
	} else {
		objectKey = source.objectKey;
		if (!objectKey.startsWith(tenantPrefix(ctx.tenantId))) {
			throw fieldInvalid("body", "object_key", `must be under your tenant's prefix '${tenantPrefix(ctx.tenantId)}'`);
		}
		if (!(await ctx.env.FILES.head(objectKey))) throw fieldInvalid("body", "object_key", "names no stored object");
	}
	const input: ImportInput = { object_key: objectKey };
	const { row, statements } = newJob(ctx, "invoice_import", input, jobId);
	await runBatch(ctx.db, statements);
	await enqueueJob(ctx.env, row);
	return row;
}

/** Runs (or resumes, from its last checkpoint) an import job. */
export async function runInvoiceImport(ctx: ServiceContext, job: JobRow): Promise<void> {
	const { object_key } = job.input as ImportInput;
	const object = await ctx.env.FILES.get(object_key);
	const now = () => ctx.clock.now().toISOString();
	if (!object) {
		await saveJobProgress(ctx.db, {
			...job,
			status: "failed",
			errors: [{ line: 0, code: "not_found", detail: `The import file ${object_key} no longer exists.` }],
			updatedAt: now(),
			finishedAt: now(),
		});
		return;
	}
	const lines = (await object.text()).split(/\r?\n/);
	const entries = lines.map((text, i) => ({ line: i + 1, text })).filter((entry) => entry.text.trim() !== "");
	const errors = job.errors as LineError[];
	const state: JobRow = { ...job, status: "running", total: entries.length, errors };
	if (entries.length > MAX_IMPORT_LINES) {
		errors.push({ line: 0, code: "validation_failed", detail: `An import holds at most ${MAX_IMPORT_LINES} lines.` });
		return finish(ctx, { ...state, status: "failed" }, errors);
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
	await finish(ctx, { ...state, status: "succeeded" }, errors);
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

async function finish(ctx: ServiceContext, state: JobRow, errors: LineError[]) {
	const at = ctx.clock.now().toISOString();
	let resultKey: string | null = null;
	if (errors.length > 0) {
		resultKey = `${tenantPrefix(ctx.tenantId)}jobs/${state.id}/errors.ndjson`;
		await ctx.env.FILES.put(resultKey, `${errors.map((e) => JSON.stringify(e)).join("\n")}\n`, {
			httpMetadata: { contentType: "application/x-ndjson" },
		});
	}
	await saveJobProgress(ctx.db, {
		...state,
		errors,
		result: { imported: state.succeeded, failed: state.failed },
		resultKey,
		updatedAt: at,
		finishedAt: at,
	});
}
