// Submissions of e-invoices to the tenant's Peppol access point: one per (source, format), recorded before
// anything is sent and attempted on the jobs queue, so an acknowledged send is never lost and never sent
// twice under two records.
import { and, asc, eq } from "drizzle-orm";
import { runBatch } from "../../db/client";
import { type EInvoiceFileFormat, einvoiceSubmissions } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { AppError, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { presentSubmission } from "../../schemas/einvoice";
import type { JobMessage } from "../../schemas/job";
import { changeStatements } from "../changeLog";
import type { IssuedKind } from "../documents/issuedDocuments";
import { accessPointCredentials } from "./accessPoint";
import { submitDocument } from "./accessPointClient";
import { ensureEInvoice } from "./einvoiceFiles";

type SubmissionRow = typeof einvoiceSubmissions.$inferSelect;

/** Attempts a submission gets before it counts as failed. */
export const MAX_SUBMISSION_ATTEMPTS = 5;
const retryDelaySeconds = (attempts: number) => Math.min(30 * 2 ** (attempts - 1), 3600);

const bySource = (ctx: ServiceContext, kind: IssuedKind, sourceId: string) =>
	and(
		eq(einvoiceSubmissions.tenantId, ctx.tenantId),
		eq(einvoiceSubmissions.sourceKind, kind),
		eq(einvoiceSubmissions.sourceId, sourceId),
	);

async function loadSubmission(ctx: ServiceContext, id: string): Promise<SubmissionRow> {
	const row = await ctx.db
		.select()
		.from(einvoiceSubmissions)
		.where(and(eq(einvoiceSubmissions.tenantId, ctx.tenantId), eq(einvoiceSubmissions.id, id)))
		.get();
	if (!row) throw notFound("e-invoice submission", id);
	return row;
}

const queueAttempt = (ctx: ServiceContext, submissionId: string, delaySeconds?: number) => {
	const message: Extract<JobMessage, { kind: "submit_einvoice" }> = {
		v: 1,
		kind: "submit_einvoice",
		tenant_id: ctx.tenantId,
		submission_id: submissionId,
	};
	return ctx.env.JOBS.send(message, delaySeconds ? { delaySeconds } : undefined);
};

/**
 * Submits an issued invoice's or credit note's e-invoice to the tenant's access point: the file is
 * rendered (and refused with its rule when it cannot be valid) first, then one submission per (source,
 * format) is recorded and queued. Asking again answers the same submission.
 */
export async function submitEInvoice({
	ctx,
	kind,
	id,
	format,
}: {
	ctx: ServiceContext;
	kind: IssuedKind;
	id: string;
	format: EInvoiceFileFormat;
}) {
	await ensureEInvoice(ctx, kind, id, format);
	const existing = await ctx.db
		.select()
		.from(einvoiceSubmissions)
		.where(and(bySource(ctx, kind, id), eq(einvoiceSubmissions.format, format)))
		.get();
	if (existing) return presentSubmission(existing);
	if (!(await accessPointCredentials(ctx))) {
		throw new AppError(
			"invalid_state",
			"No e-invoice access point is configured: set one with POST /v1/billing/einvoice/access-point.",
		);
	}
	const now = ctx.clock.now().toISOString();
	const row: SubmissionRow = {
		id: newId("einvoiceSubmission"),
		tenantId: ctx.tenantId,
		sourceKind: kind,
		sourceId: id,
		format,
		status: "queued",
		providerId: null,
		errors: [],
		attempts: 0,
		createdAt: now,
		updatedAt: now,
	};
	const [inserted] = await runBatch(ctx.db, [
		ctx.db.insert(einvoiceSubmissions).values(row).onConflictDoNothing().returning(),
		...changeStatements(ctx, {
			action: "einvoice.submitted",
			event: null,
			target: { type: kind, id },
			before: null,
			after: presentSubmission(row),
		}),
	]);
	// A concurrent twin recorded the submission first: answer that one.
	if ((inserted as SubmissionRow[]).length === 0) {
		const twin = await ctx.db
			.select()
			.from(einvoiceSubmissions)
			.where(and(bySource(ctx, kind, id), eq(einvoiceSubmissions.format, format)))
			.get();
		return presentSubmission(twin as SubmissionRow);
	}
	await queueAttempt(ctx, row.id);
	return presentSubmission(row);
}

/**
 * One attempt at a queued submission: sent, queued again with backoff, or failed for good (refused by
 * the access point, no access point any more, or out of attempts). The attempt is claimed by moving the
 * attempt count on from the one read, so two deliveries of the same message cannot both send.
 */
export async function attemptSubmission(ctx: ServiceContext, submissionId: string) {
	const submission = await loadSubmission(ctx, submissionId);
	if (submission.status !== "queued") return submission;
	const attempts = submission.attempts + 1;
	const claimed = await ctx.db
		.update(einvoiceSubmissions)
		.set({ attempts, updatedAt: ctx.clock.now().toISOString() })
		.where(
			and(
				eq(einvoiceSubmissions.tenantId, ctx.tenantId),
				eq(einvoiceSubmissions.id, submissionId),
				eq(einvoiceSubmissions.status, "queued"),
				eq(einvoiceSubmissions.attempts, submission.attempts),
			),
		)
		.returning();
	if (claimed.length === 0) return loadSubmission(ctx, submissionId);

	let outcome: Pick<SubmissionRow, "status" | "providerId"> & { error?: string };
	const accessPoint = await accessPointCredentials(ctx);
	if (!accessPoint) {
		outcome = { status: "failed", providerId: null, error: "no access point is configured" };
	} else {
		const file = await ensureEInvoice(ctx, submission.sourceKind, submission.sourceId, submission.format);
		const object = await ctx.env.FILES.get(file.r2Key);
		if (!object) throw new Error(`the stored document ${file.r2Key} is missing`);
		const sent = await submitDocument(accessPoint, submission.id, {
			xml: new Uint8Array(await object.arrayBuffer()),
			format: submission.format,
		});
		outcome = sent.ok
			? { status: "sent", providerId: sent.providerId }
			: {
					status: sent.permanent || attempts >= MAX_SUBMISSION_ATTEMPTS ? "failed" : "queued",
					providerId: null,
					error: sent.error,
				};
	}
	const now = ctx.clock.now().toISOString();
	const errors = outcome.error ? [...submission.errors, outcome.error] : submission.errors;
	await ctx.db
		.update(einvoiceSubmissions)
		.set({ status: outcome.status, providerId: outcome.providerId, errors, updatedAt: now })
		.where(and(eq(einvoiceSubmissions.tenantId, ctx.tenantId), eq(einvoiceSubmissions.id, submissionId)));
	if (outcome.status === "queued") await queueAttempt(ctx, submissionId, retryDelaySeconds(attempts));
	return { ...submission, ...outcome, attempts, errors, updatedAt: now };
}

/** The submissions of an invoice or credit note, oldest first. */
export async function listSubmissions({ ctx, kind, id }: { ctx: ServiceContext; kind: IssuedKind; id: string }) {
	const rows = await ctx.db
		.select()
		.from(einvoiceSubmissions)
		.where(bySource(ctx, kind, id))
		.orderBy(asc(einvoiceSubmissions.createdAt), asc(einvoiceSubmissions.id));
	return rows.map(presentSubmission);
}
