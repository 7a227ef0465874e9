// The D1 statements that persist invoice changes. Callers add them to one batch with the change's
// audit and outbox rows, so each change lands whole or not at all.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { insertRows, preparedQuery } from "../../db/client";
import { creditNoteApplications, invoiceLines, invoices, paymentAllocations, tenants } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import { DEFAULT_INVOICE_NUMBER_FORMAT, type NumberFormat, parseNumberFormat } from "../../domain/invoiceNumber";
import { type InvoiceStatus, settlementStatus } from "../../domain/invoiceStatus";
import { summarizeTaxes } from "../../domain/invoiceTotals";
import { invoiceIssued } from "../../domain/ledger";
import { todayOf } from "../../lib/clock";
import type { ServiceContext } from "../../lib/context";
import { AppError, fieldInvalid } from "../../lib/errors";
import type { InvoiceDetail, InvoiceLineRow, InvoiceRow } from "../../schemas/invoice";
import { type Chart, chartOf, chartQueries } from "../ledger/chart";
import { journalStatements } from "../ledger/journalStatements";
import { numberKeyPlaceholders, numberTaken, takeNextNumber } from "../numbering";
import { resolveDueDate } from "./buildInvoice";

export const insertLineStatements = (ctx: ServiceContext, lines: InvoiceLineRow[]) =>
	insertRows(ctx.db, invoiceLines, lines);

export const insertInvoiceStatements = (ctx: ServiceContext, detail: InvoiceDetail): BatchItem<"sqlite">[] => [
	...insertRows(ctx.db, invoices, [detail.invoice]),
	...insertLineStatements(ctx, detail.lines),
];

/** An update of one invoice that names the version it read; the version trigger refuses a stale one. */
export const updateInvoiceStatement = (ctx: ServiceContext, current: InvoiceRow, changes: Partial<InvoiceRow>) =>
	ctx.db
		.update(invoices)
		.set({ ...changes, version: current.version + 1, updatedAt: ctx.clock.now().toISOString() })
		.where(idInTenant(invoices, ctx.tenantId, current.id));

export type Finalization = {
	statements: BatchItem<"sqlite">[];
	/** The one of `statements` that issues the draft: its result is the number the database assigned. */
	issue: BatchItem<"sqlite">;
	/** The invoice as it will be, but for its number, which the database assigns in the batch. */
	after: InvoiceRow;
};

/** What issuing reads: the tenant's number format and the chart its journal posts to. */
export type Issuing = { format: NumberFormat; chart: Chart };

/** The tenant's number format, and the version of its settings an account object checks it by. */
const numberFormatOf = preparedQuery((db) =>
	db
		.select({ format: tenants.invoiceNumberFormat, settingsVersion: tenants.settingsVersion })
		.from(tenants)
		.where(eq(tenants.id, sql.placeholder("tenantId"))),
);

/** The reads of `Issuing`, to run in a caller's batch (then `issuingFrom` on their results). */
export const issuingQueries = (ctx: Pick<ServiceContext, "db" | "tenantId">) =>
	[numberFormatOf(ctx.db, { tenantId: ctx.tenantId }), ...chartQueries(ctx)] as const;

export const issuingFrom = ([[tenant], ...chartRows]: readonly [
	{ format: string }[],
	...Parameters<typeof chartOf>[0],
]): Issuing => issuingWith(tenant?.format, chartOf(chartRows));

/** `Issuing` from the tenant's number format as stored (none: the default) and its chart. */
export function issuingWith(storedFormat: string | undefined, chart: Chart): Issuing {
	const format = parseNumberFormat(storedFormat ?? DEFAULT_INVOICE_NUMBER_FORMAT);
	if (!format)
		throw new AppError("invalid_state", "The tenant's invoice number format is invalid; fix it in settings.");
	return { format, chart };
}

/**
 * A draft issued: its new state and the number its series' counter took earlier in the batch. Prepared
 * once: a recurring run issues thousands, and building the update cost more than binding its values.
 */
const issueDraft = preparedQuery((db) => {
	const value = <T>(name: string) => sql.placeholder(name) as unknown as T;
	return db
		.update(invoices)
		.set({
			status: value<InvoiceStatus>("status"),
			issueDate: value<string>("issueDate"),
			dueDate: value<string>("dueDate"),
			finalizedAt: value<string>("finalizedAt"),
			paidAt: value<string | null>("paidAt"),
			postedToGl: value<boolean>("postedToGl"),
			journalEntryId: value<string | null>("journalEntryId"),
			fxRate: value<string | null>("fxRate"),
			number: numberTaken(numberKeyPlaceholders),
			version: value<number>("version"),
			updatedAt: value<string>("updatedAt"),
		})
		.where(and(eq(invoices.tenantId, numberKeyPlaceholders.tenantId), eq(invoices.id, sql.placeholder("id"))))
		.returning({ number: invoices.number });
});

/**
 * Issues a draft: numbers it from the tenant's gapless series and posts its journal, in one batch.
 * `issuing` is read here in one round trip unless the caller read it already (once for many invoices).
 */
export async function finalizeStatements(
	ctx: ServiceContext,
	{ invoice: draft, lines }: InvoiceDetail,
	issuing?: Issuing,
): Promise<Finalization> {
	const { format, chart } = issuing ?? issuingFrom(await ctx.db.batch(issuingQueries(ctx)));
	const now = ctx.clock.now().toISOString();
	const issueDate = draft.issueDate ?? todayOf(ctx.clock.now());
	const dueDate = resolveDueDate(issueDate, draft.dueDate, draft.paymentTerms) as string;
	if (dueDate < issueDate) throw fieldInvalid("body", "due_date", "must not be before the issue date");
	const status: InvoiceStatus = settlementStatus(draft);
	// The counter moves only while the invoice is still a draft: a repeated finalize takes no number.
	const numbering = takeNextNumber(ctx, {
		series: "invoice",
		format,
		year: Number(issueDate.slice(0, 4)),
		draftId: draft.id,
	});
	const journal =
		draft.total > 0
			? await journalStatements(
					ctx,
					{
						entryDate: issueDate,
						source: { type: "invoice", id: draft.id },
						customerId: draft.customerId,
						currency: draft.currency,
						description: `Invoice ${draft.id} issued`,
						posting: invoiceIssued({ ...draft, taxLines: summarizeTaxes(lines), revenueLines: lines }),
					},
					chart,
				)
			: null;
	const changes = {
		status,
		issueDate,
		dueDate,
		finalizedAt: now,
		paidAt: status === "paid" ? now : null,
		postedToGl: journal !== null,
		journalEntryId: journal?.entryId ?? null,
		fxRate: journal?.rate ?? null,
	};
	const issue = issueDraft(ctx.db, {
		...numbering.key,
		...changes,
		id: draft.id,
		version: draft.version + 1,
		updatedAt: now,
	});
	return {
		after: { ...draft, ...changes, version: draft.version + 1, updatedAt: now },
		issue,
		statements: [numbering.advance, issue, ...(journal?.statements ?? [])],
	};
}

/**
 * Recomputes an issued invoice's settlement from its allocations and credit-note applications, in SQL,
 * after the batch's earlier statements changed them: amount_paid, amount_credited, balance and status
 * always follow from the rows themselves, and the balance CHECK refuses any over-application.
 */
const settlementRefresh = preparedQuery((db) => {
	const tenantId = sql.placeholder("tenantId");
	const invoiceId = sql.placeholder("invoiceId");
	const now = sql.placeholder("now");
	// Scoped by tenant too: the (tenant, invoice) indexes serve these sums, not a scan of every allocation.
	const paid = sql`(select coalesce(sum(${paymentAllocations.amount}), 0) from ${paymentAllocations} where ${paymentAllocations.tenantId} = ${tenantId} and ${paymentAllocations.invoiceId} = ${invoiceId})`;
	const credited = sql`(select coalesce(sum(${creditNoteApplications.amount}), 0) from ${creditNoteApplications} where ${creditNoteApplications.tenantId} = ${tenantId} and ${creditNoteApplications.invoiceId} = ${invoiceId})`;
	const balance = sql`(${invoices.total} - ${paid} - ${credited} - ${invoices.amountWrittenOff})`;
	return db
		.update(invoices)
		.set({
			amountPaid: paid as unknown as number,
			amountCredited: credited as unknown as number,
			balance: balance as unknown as number,
			status:
				sql`case when ${balance} = 0 then 'paid' when ${paid} + ${credited} > 0 then 'partially_paid' else 'issued' end` as unknown as InvoiceStatus,
			paidAt:
				sql`case when ${balance} = 0 then coalesce(${invoices.paidAt}, ${now}) else null end` as unknown as string,
			version: sql`${invoices.version} + 1` as unknown as number,
			updatedAt: now as unknown as string,
		})
		.where(
			and(
				eq(invoices.tenantId, tenantId),
				eq(invoices.id, invoiceId),
				inArray(invoices.status, ["issued", "partially_paid", "paid"]),
			),
		);
});

/** Recomputes an open (or paid) invoice's paid, credited and balance figures and status from its rows. */
export const refreshSettlementStatement = (ctx: ServiceContext, invoiceId: string) =>
	settlementRefresh(ctx.db, { tenantId: ctx.tenantId, invoiceId, now: ctx.clock.now().toISOString() });
