// The one import pipeline every import job runs: the file kept durably in R2 under the tenant's prefix
// before the job is acknowledged, read into records (NDJSON or CSV, columns mapped onto fields), then
// handed to the type's importer a chunk at a time. Each chunk ends at a checkpoint that saves the
// counts, and writes the error report (line, field, message) to R2 when the chunk added to it: a
// canceled job stops there with everything done until then kept and reported, and a redelivered one
// resumes after the last checkpoint.
import { runBatch } from "../../db/client";
import {
	type ImportFormat,
	type ImportMapping,
	type ImportRecord,
	isLineError,
	type LineError,
	type LineFieldError,
	type RecordShape,
	readRecords,
} from "../../domain/importRecords";
import type { ServiceContext } from "../../lib/context";
import { AppError, fieldInvalid } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { JobType } from "../../schemas/job";
import { enqueueJob, type JobRow, newJob, saveJobProgress } from "./jobs";

export type { LineError } from "../../domain/importRecords";

export type ImportMode = "upsert" | "replace";
export type ImportOptions = { format: ImportFormat; mapping: ImportMapping; mode: ImportMode };
export type ImportSource = { text: string } | { objectKey: string };
export type ImportInput = { object_key: string } & Partial<ImportOptions>;

/** What became of one record. */
export type Outcome = "created" | "updated" | "skipped" | LineError;
export type ImportCounts = { created: number; updated: number; skipped: number; failed: number };

export type Importer = {
	shape: RecordShape;
	maxRecords: number;
	chunkSize: number;
	/** Records made of several rows (a journal's lines in CSV) are put together here. */
	group?: (records: (ImportRecord | LineError)[], options: ImportOptions) => (ImportRecord | LineError)[];
	/** Imports one chunk's records: an outcome for each, in order. */
	importChunk: (
		ctx: ServiceContext,
		records: ImportRecord[],
		job: { id: string; options: ImportOptions },
	) => Promise<Outcome[]>;
};

/** Object keys a tenant may import from: its own prefix only. */
export const tenantPrefix = (tenantId: string) => `${tenantId}/`;

const CONTENT_TYPES: Record<ImportFormat, string> = { ndjson: "application/x-ndjson", csv: "text/csv" };

/**
 * Stores an inline import durably (or checks the named object), records the job, then enqueues it.
 * `sourceField` is the request field naming the object, for the error that refuses it.
 */
export async function startImport(
	ctx: ServiceContext,
	type: JobType,
	source: ImportSource,
	options: Partial<ImportOptions> & { sourceField?: string } = {},
) {
	const { sourceField = "object_key", ...chosen } = options;
	const format = chosen.format ?? "ndjson";
	let objectKey: string;
	const jobId = newId("job");
	if ("text" in source) {
		if (source.text.trim() === "") throw fieldInvalid("body", "body", `holds no ${format.toUpperCase()} lines`);
		objectKey = `${tenantPrefix(ctx.tenantId)}imports/${jobId}.${format}`;
		await ctx.env.FILES.put(objectKey, source.text, { httpMetadata: { contentType: CONTENT_TYPES[format] } });
	} else {
		objectKey = source.objectKey;
		if (!objectKey.startsWith(tenantPrefix(ctx.tenantId))) {
			throw fieldInvalid("body", sourceField, `must be under your tenant's prefix '${tenantPrefix(ctx.tenantId)}'`);
		}
		if (!(await ctx.env.FILES.head(objectKey))) throw fieldInvalid("body", sourceField, "names no stored object");
	}
	const input: ImportInput = { object_key: objectKey, ...chosen };
	const { row, statements } = newJob(ctx, type, input, jobId);
	await runBatch(ctx.db, statements);
	await enqueueJob(ctx.env, row);
	return row;
}

const NO_COUNTS: ImportCounts = { created: 0, updated: 0, skipped: 0, failed: 0 };

/** An import's counts as its job row keeps them (in `result`, saved at every checkpoint). */
export const importCounts = (job: Pick<JobRow, "result">): ImportCounts => ({
	...NO_COUNTS,
	...((job.result as { counts?: ImportCounts } | null)?.counts ?? {}),
});

const reportKey = (job: Pick<JobRow, "tenantId" | "id">) => `${tenantPrefix(job.tenantId)}jobs/${job.id}/errors.ndjson`;

/** A field error as the line error it makes: the first field names the line's fault. */
export function lineErrorOf(line: number, code: string, message: string, errors: LineFieldError[] = []): LineError {
	const [first] = errors;
	return {
		line,
		field: first?.field || null,
		code,
		message: first ? `${first.field ? `${first.field}: ` : ""}${first.message}` : message,
		...(errors.length > 0 ? { errors } : {}),
	};
}

/** A refusal thrown by a service as the line error it makes; anything else is no refusal and is rethrown. */
export function refusedLine(line: number, error: unknown): LineError {
	if (!(error instanceof AppError) || error.status >= 500) throw error;
	return lineErrorOf(line, error.code, error.message, error.errors);
}

/** Runs (or resumes, after its last checkpoint) an import job with the importer of its type. */
export async function runImport(ctx: ServiceContext, job: JobRow, importer: Importer): Promise<void> {
	const input = job.input as ImportInput;
	const options: ImportOptions = {
		format: input.format ?? "ndjson",
		mapping: input.mapping ?? {},
		mode: input.mode ?? "upsert",
	};
	const now = () => ctx.clock.now().toISOString();
	// Running from the start, not from the end of its first chunk (which may take a while).
	if (job.status === "queued") await saveJobProgress(ctx.db, { ...job, status: "running", updatedAt: now() });
	const object = await ctx.env.FILES.get(input.object_key);
	const read = object
		? readRecords(new TextDecoder().decode(await object.arrayBuffer()), options.format, options.mapping, importer.shape)
		: { fatal: lineErrorOf(0, "not_found", `The import file ${input.object_key} no longer exists.`) };
	if ("fatal" in read) return finish(ctx, { ...job, status: "failed" }, [read.fatal], { ...NO_COUNTS, failed: 1 });
	const entries = importer.group ? importer.group(read.records, options) : read.records;
	if (entries.length > importer.maxRecords) {
		const tooMany = lineErrorOf(0, "validation_failed", `An import holds at most ${importer.maxRecords} records.`);
		return finish(ctx, { ...job, status: "failed" }, [tooMany], { ...NO_COUNTS, failed: 1 });
	}
	// A job that checkpointed nothing starts afresh; otherwise counts and errors go on from the checkpoint.
	const resumed = job.processed > 0;
	const errors = resumed ? await reportedErrors(ctx, job) : [];
	const counts = resumed ? importCounts(job) : { ...NO_COUNTS };
	const state: JobRow = { ...job, status: "running", total: entries.length, resultKey: resumed ? job.resultKey : null };
	for (let start = state.processed; start < entries.length; start += importer.chunkSize) {
		const chunk = entries.slice(start, start + importer.chunkSize);
		const records = chunk.filter((entry): entry is ImportRecord => !isLineError(entry));
		const outcomes = records.length > 0 ? await importer.importChunk(ctx, records, { id: job.id, options }) : [];
		const chunkErrors = chunk.filter(isLineError);
		for (const outcome of outcomes) {
			if (typeof outcome === "string") counts[outcome] += 1;
			else chunkErrors.push(outcome);
		}
		counts.failed += chunkErrors.length;
		state.processed += chunk.length;
		state.succeeded = counts.created + counts.updated + counts.skipped;
		state.failed = counts.failed;
		state.result = { counts };
		if (chunkErrors.length > 0) {
			errors.push(...chunkErrors.sort((a, b) => a.line - b.line));
			state.resultKey = await writeReport(ctx, job, errors);
		}
		await saveJobProgress(ctx.db, { ...state, errors, updatedAt: now() });
	}
	await finish(ctx, { ...state, status: "succeeded" }, errors, counts);
}

/** The errors reported before a resumed job's last checkpoint: the report file holds them all. */
async function reportedErrors(ctx: ServiceContext, job: JobRow): Promise<LineError[]> {
	const report = job.resultKey ? await ctx.env.FILES.get(job.resultKey) : null;
	if (!report) return [...(job.errors as LineError[])];
	return new TextDecoder()
		.decode(await report.arrayBuffer())
		.split("\n")
		.filter((line) => line !== "")
		.map((line) => JSON.parse(line) as LineError);
}

async function writeReport(ctx: ServiceContext, job: JobRow, errors: readonly LineError[]) {
	const key = reportKey(job);
	await ctx.env.FILES.put(key, `${errors.map((e) => JSON.stringify(e)).join("\n")}\n`, {
		httpMetadata: { contentType: "application/x-ndjson" },
	});
	return key;
}

async function finish(ctx: ServiceContext, state: JobRow, errors: LineError[], counts: ImportCounts) {
	const at = ctx.clock.now().toISOString();
	const resultKey = errors.length > 0 ? await writeReport(ctx, state, errors) : state.resultKey;
	await saveJobProgress(ctx.db, {
		...state,
		failed: counts.failed,
		errors,
		result: { counts },
		resultKey,
		updatedAt: at,
		finishedAt: at,
	});
}
