// Journal imports: each journal goes through the same checks as one entered by hand (balanced, known
// accounts, an open period). In NDJSON a line is a journal; in CSV a journal is the consecutive rows
// sharing an external_id (one row per line of the journal, the first row giving its date, currency
// and description). A journal is posted once per external_id: posted journals are never replaced (a
// wrong one is reversed), so the same file imported again skips them.
import { and, eq } from "drizzle-orm";
import { inJsonArray } from "../../db/chunks";
import { journalEntries } from "../../db/schema";
import type { ImportRecord, LineError } from "../../domain/importRecords";
import type { ServiceContext } from "../../lib/context";
import { manualJournalBody } from "../../schemas/ledger";
import { fieldErrorsOf } from "../../schemas/validation";
import { type Importer, lineErrorOf, type Outcome, refusedLine, runImport } from "../jobs/imports";
import type { JobRow } from "../jobs/jobs";
import { createManualJournal } from "./manualJournal";

/** A CSV row's fields that belong to the journal's line rather than to the journal. */
const LINE_FIELDS = {
	account_code: "account_code",
	debit: "debit",
	credit: "credit",
	line_description: "description",
	source_ref: "source_ref",
} as const;

export const journalImporter: Importer = {
	shape: {
		fields: [...Object.keys(manualJournalBody.shape), "external_id", ...Object.keys(LINE_FIELDS)],
		integers: ["debit", "credit"],
	},
	maxRecords: 50_000,
	chunkSize: 50,
	group: (records, options) => (options.format === "csv" ? journalsOfRows(records) : records),
	async importChunk(ctx, records) {
		const posted = await postedExternalIds(ctx, records);
		const outcomes: Outcome[] = [];
		for (const { line, fields } of records) {
			const { external_id: externalId, ...body } = fields;
			if (typeof externalId !== "string" || externalId.trim() === "") {
				outcomes.push(lineErrorOf(line, "validation_failed", "", [{ field: "external_id", message: "is required" }]));
				continue;
			}
			if (posted.has(externalId)) {
				outcomes.push("skipped");
				continue;
			}
			const parsed = manualJournalBody.safeParse(body, { reportInput: true });
			if (!parsed.success) {
				const errors = fieldErrorsOf(parsed.error.issues, "body");
				outcomes.push(lineErrorOf(line, "validation_failed", "The line is not a valid journal.", errors));
				continue;
			}
			try {
				await createManualJournal({ ctx, input: parsed.data, sourceId: externalId });
				posted.add(externalId);
				outcomes.push("created");
			} catch (error) {
				outcomes.push(refusedLine(line, error));
			}
		}
		return outcomes;
	},
};

/** CSV rows put together into journals: consecutive rows with one external_id are one journal. */
function journalsOfRows(rows: (ImportRecord | LineError)[]): (ImportRecord | LineError)[] {
	const journals: (ImportRecord | LineError)[] = [];
	type Journal = { externalId: string; record: ImportRecord; entries: Record<string, unknown>[] };
	let current = null as Journal | null;
	for (const row of rows) {
		if ("code" in row) {
			journals.push(row);
			continue;
		}
		const { external_id: externalId, ...fields } = row.fields;
		if (typeof externalId !== "string") {
			journals.push(
				lineErrorOf(row.line, "validation_failed", "", [
					{ field: "external_id", message: "is required: the rows of one journal share it" },
				]),
			);
			continue;
		}
		const entry = Object.fromEntries(
			Object.entries(LINE_FIELDS).flatMap(([column, field]) => (column in fields ? [[field, fields[column]]] : [])),
		);
		if (current?.externalId !== externalId) {
			const journal = Object.fromEntries(Object.entries(fields).filter(([column]) => !(column in LINE_FIELDS)));
			current = {
				externalId,
				record: { line: row.line, fields: { ...journal, external_id: externalId } },
				entries: [],
			};
			current.record.fields.entries = current.entries;
			journals.push(current.record);
		}
		current.entries.push(entry);
	}
	return journals;
}

async function postedExternalIds(ctx: ServiceContext, records: ImportRecord[]) {
	const ids = records.flatMap(({ fields }) => (typeof fields.external_id === "string" ? [fields.external_id] : []));
	if (ids.length === 0) return new Set<string>();
	const rows = await ctx.db
		.select({ sourceId: journalEntries.sourceId })
		.from(journalEntries)
		.where(
			and(
				eq(journalEntries.tenantId, ctx.tenantId),
				eq(journalEntries.sourceType, "manual"),
				inJsonArray(journalEntries.sourceId, ids),
			),
		);
	return new Set(rows.map((r) => r.sourceId));
}

/** Runs (or resumes, from its last checkpoint) a journal import job. */
export const runJournalImport = (ctx: ServiceContext, job: JobRow) => runImport(ctx, job, journalImporter);
