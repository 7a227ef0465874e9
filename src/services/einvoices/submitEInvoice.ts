// Submissions of e-invoices to the tenant's Peppol access point: one per (source, format), recorded before
// anything is sent and attempted on the jobs queue, so an acknowledged send is never lost and never sent
// twice under two records.
import { and, asc, eq, sql } from "drizzle-orm";
import { runBatch } from "../../db/client";
import { einvoiceSubmissions } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { AppError, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { PEPPOL_FORMATS, type PeppolFormat, presentSubmission } from "../../schemas/einvoice";
import { changeStatements } from "../changeLog";
import { loadCreditNote } from "../creditNotes/creditNotes";
import { loadCustomer } from "../customers/loadCustomer";
import { attemptFailure, claimAttempt, finishAttempt, queueAttempt, type SendKind } from "../deliveries/sendAttempts";
import type { IssuedKind } from "../documents/issuedDocuments";
import { loadInvoiceRow } from "../invoices/loadInvoice";
import { accessPointCredentials } from "./accessPoint";
import { type SubmissionOutcome, submitDocument } from "./accessPointClient";
import { ensureEInvoice } from "./einvoiceFiles";

type SubmissionRow = typeof einvoiceSubmissions.$inferSelect;

/** E-invoice submissions as sends: five attempts, from 30 s apart; the errors of every attempt are kept. */
export const SUBMISSIONS: SendKind = {
	table: einvoiceSubmissions,
	policy: { maxAttempts: 5, baseDelaySeconds: 30 },
	message: (tenantId, id) => ({ v: 1, kind: "submit_einvoice", tenant_id: tenantId, submission_id: id }),
	failure: (reason) => ({ errors: sql`json_insert(${einvoiceSubmissions.errors}, '$[#]', ${reason})` }),
};

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

/** The customer of an invoice or credit note that may be sent. A voided credit note is not sent any more;
 * a draft invoice is refused by its rendering. */
async function sendableSourceCustomer(ctx: ServiceContext, kind: IssuedKind, id: string): Promise<string> {
	if (kind === "invoice") return (await loadInvoiceRow(ctx, id)).customerId;
	const { row } = await loadCreditNote(ctx, id);
	if (row.status !== "issued") {
		throw new AppError("invalid_state", `Credit note ${id} is ${row.status}; only an issued one is sent.`, {
			extensions: { current_status: row.status },
		});
	}
	return row.customerId;
}

/**
 * Submits an issued invoice's or credit note's e-invoice to the tenant's access point, in `format` or else
 * the one its customer prefers when an access point carries it (Peppol BIS 3 otherwise): the file is
 * rendered (and refused with its rule when it cannot be valid) first, then one submission per (source,
 * format) is recorded and queued. Asking again answers the same submission.
 */
export async function submitEInvoice({
	ctx,
	kind,
	id,
	format: asked,
}: {
	ctx: ServiceContext;
	kind: IssuedKind;
	id: string;
	format?: PeppolFormat;
}) {
	const customerId = await sendableSourceCustomer(ctx, kind, id);
	const preferred = asked ? null : (await loadCustomer(ctx, customerId)).preferredEinvoiceFormat;
	const format = asked ?? PEPPOL_FORMATS.find((f) => f === preferred) ?? "ubl";
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
		nextAttemptAt: now,
		attemptStartedAt: null,
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
	try {
		await queueAttempt(ctx.env, SUBMISSIONS, ctx.tenantId, row.id);
	} catch (error) {
		// Recorded is acknowledged: the maintenance sweep queues the submission once it is overdue.
		ctx.logger.warn("e-invoice submission not queued; the sweep will queue it", {
			submission_id: row.id,
			error: (error as Error).message,
		});
	}
	return presentSubmission(row);
}

/**
 * One attempt at a queued submission: sent, queued again with backoff, or failed for good (refused by the
 * access point, no access point any more, or out of attempts). The access point receives every attempt under
 * the submission's id as its Idempotency-Key, and a claimed attempt is the only one running, so a message
 * delivered twice sends once.
 */
export async function attemptSubmission(ctx: ServiceContext, submissionId: string): Promise<void> {
	const submission = await loadSubmission(ctx, submissionId);
	if (submission.status !== "queued" || !(await claimAttempt(ctx, SUBMISSIONS, submission))) return;
	const claimed = { id: submission.id, attempts: submission.attempts + 1 };
	const sent = await sendSubmission(ctx, submission).catch((error) => {
		ctx.logger.error("e-invoice submission attempt broke", { submission_id: submission.id, error: String(error) });
		const failure = attemptFailure(error);
		return { ok: false as const, permanent: failure.permanent, error: failure.message };
	});
	await finishAttempt(
		ctx,
		SUBMISSIONS,
		claimed,
		sent.ok
			? { status: "sent", fields: { providerId: sent.providerId } }
			: { status: "failed", permanent: sent.permanent, fields: SUBMISSIONS.failure(sent.error) },
	);
}

/** Posts the submission's stored file to the tenant's access point. */
async function sendSubmission(ctx: ServiceContext, submission: SubmissionRow): Promise<SubmissionOutcome> {
	const accessPoint = await accessPointCredentials(ctx);
	if (!accessPoint) return { ok: false, permanent: true, error: "no access point is configured" };
	const file = await ensureEInvoice(ctx, submission.sourceKind, submission.sourceId, submission.format);
	const object = await ctx.env.FILES.get(file.r2Key);
	if (!object) throw new Error(`the stored document ${file.r2Key} is missing`);
	return submitDocument(accessPoint, submission.id, {
		xml: new Uint8Array(await object.arrayBuffer()),
		format: submission.format,
	});
}

/** The submissions of an invoice or credit note (404 when the tenant has no such one), oldest first. */
export async function listSubmissions({ ctx, kind, id }: { ctx: ServiceContext; kind: IssuedKind; id: string }) {
	await (kind === "invoice" ? loadInvoiceRow(ctx, id) : loadCreditNote(ctx, id));
	const rows = await ctx.db
		.select()
		.from(einvoiceSubmissions)
		.where(bySource(ctx, kind, id))
		.orderBy(asc(einvoiceSubmissions.createdAt), asc(einvoiceSubmissions.id));
	const data = rows.map(presentSubmission);
	return { object: "list" as const, data, has_more: false, next_cursor: null, limit: data.length };
}
