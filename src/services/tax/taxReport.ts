import { and, asc, eq, gte, inArray, lte } from "drizzle-orm";
import { inJsonArray } from "../../db/chunks";
import { creditNotes, invoiceLines, invoices, journalEntries, taxAdjustments, tenants } from "../../db/schema";
import {
	buildTaxReport,
	ossReturn,
	type ReportCreditNote,
	type ReportInvoice,
	taxPayableTotals,
	taxReportCsv,
} from "../../domain/tax/report";
import type { ServiceContext } from "../../lib/context";
import { groupBy } from "../../lib/groupBy";
import { type JobRow, saveJobProgress, startJob } from "../jobs/jobs";

export type TaxReportInput = { from: string; to: string; jurisdiction?: string };

export const startTaxReport = (ctx: ServiceContext, input: TaxReportInput) => startJob(ctx, "tax_report", input);

/** Where a report's files live in R2: the JSON is the job's result file, the CSV sits beside it. */
export const taxReportKey = (tenantId: string, jobId: string, format: "json" | "csv") =>
	`${tenantId}/tax-reports/${jobId}.${format}`;

/** The invoices and credit notes behind the period's entries, each read once whatever its number of entries. */
async function loadDocuments(ctx: ServiceContext, invoiceIds: string[], creditNoteIds: string[]) {
	const notes = creditNoteIds.length
		? await ctx.db
				.select()
				.from(creditNotes)
				.where(and(eq(creditNotes.tenantId, ctx.tenantId), inJsonArray(creditNotes.id, creditNoteIds)))
		: [];
	const ids = [...new Set([...invoiceIds, ...notes.map((n) => n.invoiceId)])];
	const [invoiceRows, lineRows] = ids.length
		? await ctx.db.batch([
				ctx.db
					.select()
					.from(invoices)
					.where(and(eq(invoices.tenantId, ctx.tenantId), inJsonArray(invoices.id, ids))),
				ctx.db
					.select()
					.from(invoiceLines)
					.where(and(eq(invoiceLines.tenantId, ctx.tenantId), inJsonArray(invoiceLines.invoiceId, ids)))
					.orderBy(asc(invoiceLines.invoiceId), asc(invoiceLines.position)),
			])
		: [[], []];
	const linesOf = groupBy(lineRows, (line) => line.invoiceId);
	const invoiceMap = new Map<string, ReportInvoice>(
		invoiceRows.map((row) => [row.id, { ...row, lines: linesOf.get(row.id) ?? [] }]),
	);
	const noteMap = new Map<string, ReportCreditNote>(notes.map((row) => [row.id, row]));
	return { invoiceMap, noteMap };
}

/**
 * Builds the period's tax report from the journal entries dated in it (the same dates the ledger
 * carries, including postings moved past a closed period) and the tax adjustments booked in it, writes it to R2 as JSON with its OSS
 * return and as CSV, and links the JSON as the job's result.
 */
export async function runTaxReport(ctx: ServiceContext, job: JobRow): Promise<void> {
	const input = job.input as TaxReportInput;
	const [entries, tenant, adjustments] = await ctx.db.batch([
		ctx.db
			.select({ id: journalEntries.id, sourceType: journalEntries.sourceType, sourceId: journalEntries.sourceId })
			.from(journalEntries)
			.where(
				and(
					eq(journalEntries.tenantId, ctx.tenantId),
					gte(journalEntries.entryDate, input.from),
					lte(journalEntries.entryDate, input.to),
					inArray(journalEntries.sourceType, ["invoice", "credit_note"]),
				),
			)
			.orderBy(asc(journalEntries.entryDate), asc(journalEntries.id)),
		ctx.db.select({ originCountry: tenants.taxOriginCountry }).from(tenants).where(eq(tenants.id, ctx.tenantId)),
		ctx.db
			.select()
			.from(taxAdjustments)
			.where(
				and(
					eq(taxAdjustments.tenantId, ctx.tenantId),
					gte(taxAdjustments.date, input.from),
					lte(taxAdjustments.date, input.to),
				),
			),
	]);
	const idsOf = (type: string) => [...new Set(entries.filter((e) => e.sourceType === type).map((e) => e.sourceId))];
	const { invoiceMap, noteMap } = await loadDocuments(ctx, idsOf("invoice"), idsOf("credit_note"));
	const rows = buildTaxReport(entries, invoiceMap, noteMap, input.jurisdiction);
	const report = {
		object: "tax_report" as const,
		period: { from: input.from, to: input.to },
		jurisdiction: input.jurisdiction ?? null,
		rows,
		totals: taxPayableTotals(rows, adjustments, input.jurisdiction),
		oss_return: ossReturn(rows, tenant[0]?.originCountry ?? null),
	};
	const jsonKey = taxReportKey(ctx.tenantId, job.id, "json");
	await Promise.all([
		ctx.env.FILES.put(jsonKey, JSON.stringify(report), { httpMetadata: { contentType: "application/json" } }),
		ctx.env.FILES.put(taxReportKey(ctx.tenantId, job.id, "csv"), taxReportCsv(rows), {
			httpMetadata: { contentType: "text/csv; charset=utf-8" },
		}),
	]);
	const at = ctx.clock.now().toISOString();
	await saveJobProgress(ctx.db, {
		...job,
		status: "succeeded",
		total: rows.length,
		processed: rows.length,
		succeeded: rows.length,
		result: {
			rows: rows.length,
			entries: entries.length,
			csv_url: `/v1/billing/tax/reports/${job.id}/csv`,
		},
		resultKey: jsonKey,
		updatedAt: at,
		finishedAt: at,
	});
}
