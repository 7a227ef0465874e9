// Invoice imports: one invoice-create body per record. Each record lands whole or not at all (one
// batch per invoice) and at most once: its `source_ref` is unique per tenant, made of the caller's
// `external_id` when it has one (so the same file imported again skips it), else of the job and line
// (so a resumed job never imports a line twice).
import type { ServiceContext } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { invoiceCreateBody } from "../../schemas/invoice";
import { fieldErrorsOf } from "../../schemas/validation";
import {
	type Importer,
	type ImportSource,
	lineErrorOf,
	type Outcome,
	refusedLine,
	runImport,
	startImport,
} from "../jobs/imports";
import type { JobRow } from "../jobs/jobs";
import { createInvoice } from "./createInvoice";

export const MAX_IMPORT_LINES = 10_000;

/** Stores the NDJSON durably (or checks the named object), records the job, then enqueues it. */
export const startInvoiceImport = ({ ctx, source }: { ctx: ServiceContext; source: ImportSource }) =>
	startImport(ctx, "invoice_import", source);

export const invoiceImporter: Importer = {
	shape: { fields: [...Object.keys(invoiceCreateBody.shape), "external_id"] },
	maxRecords: MAX_IMPORT_LINES,
	chunkSize: 25,
	async importChunk(ctx, records, job) {
		const outcomes: Outcome[] = [];
		for (const { line, fields } of records) {
			const { external_id: externalId, ...body } = fields;
			const parsed = invoiceCreateBody.safeParse(body, { reportInput: true });
			if (!parsed.success) {
				outcomes.push(
					lineErrorOf(
						line,
						"validation_failed",
						"The line is not a valid invoice.",
						fieldErrorsOf(parsed.error.issues, "body"),
					),
				);
				continue;
			}
			const sourceRef =
				typeof externalId === "string" && externalId !== "" ? `external:${externalId}` : `import:${job.id}:${line}`;
			try {
				await createInvoice({ ctx, input: parsed.data, sourceRef });
				outcomes.push("created");
			} catch (error) {
				// Imported before: by an earlier run of the same file, or an attempt of this job cut short.
				if (error instanceof AppError && error.code === "conflict" && error.extensions?.source_ref)
					outcomes.push("skipped");
				else outcomes.push(refusedLine(line, error));
			}
		}
		return outcomes;
	},
};

/** Runs (or resumes, from its last checkpoint) an invoice import job. */
export const runInvoiceImport = (ctx: ServiceContext, job: JobRow) => runImport(ctx, job, invoiceImporter);
