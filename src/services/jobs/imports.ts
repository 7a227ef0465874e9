// What every NDJSON import job shares: the file kept durably in R2 under the tenant's prefix before
// the job is acknowledged, and a result file listing each line that could not be imported.
import { runBatch } from "../../db/client";
import type { ServiceContext } from "../../lib/context";
import { fieldInvalid } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { JobType } from "../../schemas/job";
import { enqueueJob, type JobRow, newJob, saveJobProgress } from "./jobs";

export type ImportSource = { ndjson: string } | { objectKey: string };
export type ImportInput = { object_key: string };
export type LineError = { line: number; code: string; detail: string; errors?: unknown };

/** Object keys a tenant may import from: its own prefix only. */
const tenantPrefix = (tenantId: string) => `${tenantId}/`;

/** Stores the NDJSON durably (or checks the named object), records the job, then enqueues it. */
export async function startImport(ctx: ServiceContext, type: JobType, source: ImportSource) {
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
	const { row, statements } = newJob(ctx, type, input, jobId);
	await runBatch(ctx.db, statements);
	await enqueueJob(ctx.env, row);
	return row;
}

/** The import's non-empty lines, numbered from 1; null (and the job failed) when the file is gone. */
export async function importLines(ctx: ServiceContext, job: JobRow) {
	const { object_key } = job.input as ImportInput;
	const object = await ctx.env.FILES.get(object_key);
	if (!object) {
		const now = ctx.clock.now().toISOString();
		await saveJobProgress(ctx.db, {
			...job,
			status: "failed",
			errors: [{ line: 0, code: "not_found", detail: `The import file ${object_key} no longer exists.` }],
			updatedAt: now,
			finishedAt: now,
		});
		return null;
	}
	const lines = (await object.text()).split(/\r?\n/);
	return lines.map((text, i) => ({ line: i + 1, text })).filter((entry) => entry.text.trim() !== "");
}

/** Ends an import: its counts as the result, and every line error in a result file. */
export async function finishImport(ctx: ServiceContext, state: JobRow, errors: LineError[]) {
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
