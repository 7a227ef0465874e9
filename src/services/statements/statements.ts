import { and, eq, lte, ne } from "drizzle-orm";
import {
	creditNoteApplications,
	creditNotes,
	invoices,
	paymentAllocations,
	payments,
	refunds,
	statements,
} from "../../db/schema";
import { renderStatementPdf } from "../../documents/statementPdf";
import { ageReceivables } from "../../domain/aging";
import { buildStatement, type Movement, statementPeriodError } from "../../domain/statement";
import type { ServiceContext } from "../../lib/context";
import { fieldInvalid, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { PaginationQuery } from "../../schemas/common";
import { presentStatement, type StatementRow } from "../../schemas/statement";
import { changeStatements } from "../changeLog";
import { loadCustomer } from "../customers/loadCustomer";
import { storedFile } from "../documents/issuedDocuments";
import { buyerOf, loadTenantRow, localeOf, logoOf, sellerOf } from "../documents/parties";
import { findDocument, storeDocument } from "../documents/storedDocuments";
import { paginate } from "../pagination";
import { pdfFooter } from "../templates/templates";

const day = (timestamp: string) => timestamp.slice(0, 10);

/**
 * Every movement of the customer's position in `currency` up to `to`, and each invoice's balance at the
 * end of `to` (what it owed then, for the aging), read from the records that moved it.
 */
async function movementsThrough(ctx: ServiceContext, customerId: string, currency: string, to: string) {
	const endOfTo = `${to}T23:59:59.999Z`;
	const [invoiceRows, paymentRows, noteRows, refundRows, allocationRows, applicationRows] = await ctx.db.batch([
		ctx.db
			.select()
			.from(invoices)
			.where(
				and(
					eq(invoices.tenantId, ctx.tenantId),
					eq(invoices.customerId, customerId),
					eq(invoices.currency, currency),
					ne(invoices.status, "draft"),
					lte(invoices.issueDate, to),
				),
			),
		ctx.db
			.select()
			.from(payments)
			.where(
				and(
					eq(payments.tenantId, ctx.tenantId),
					eq(payments.customerId, customerId),
					eq(payments.currency, currency),
					lte(payments.paidAt, endOfTo),
				),
			),
		ctx.db
			.select()
			.from(creditNotes)
			.where(
				and(
					eq(creditNotes.tenantId, ctx.tenantId),
					eq(creditNotes.customerId, customerId),
					eq(creditNotes.currency, currency),
					lte(creditNotes.createdAt, endOfTo),
				),
			),
		ctx.db
			.select()
			.from(refunds)
			.where(
				and(
					eq(refunds.tenantId, ctx.tenantId),
					eq(refunds.customerId, customerId),
					eq(refunds.currency, currency),
					lte(refunds.createdAt, endOfTo),
				),
			),
		ctx.db
			.select({ invoiceId: paymentAllocations.invoiceId, amount: paymentAllocations.amount })
			.from(paymentAllocations)
			.innerJoin(invoices, eq(invoices.id, paymentAllocations.invoiceId))
			.where(
				and(
					eq(paymentAllocations.tenantId, ctx.tenantId),
					eq(invoices.customerId, customerId),
					lte(paymentAllocations.createdAt, endOfTo),
				),
			),
		ctx.db
			.select({ invoiceId: creditNoteApplications.invoiceId, amount: creditNoteApplications.amount })
			.from(creditNoteApplications)
			.innerJoin(invoices, eq(invoices.id, creditNoteApplications.invoiceId))
			.where(
				and(
					eq(creditNoteApplications.tenantId, ctx.tenantId),
					eq(invoices.customerId, customerId),
					lte(creditNoteApplications.createdAt, endOfTo),
				),
			),
	]);

	const movements: Movement[] = [];
	for (const invoice of invoiceRows) {
		const reference = invoice.number ?? invoice.id;
		movements.push({
			date: invoice.issueDate as string,
			type: "invoice",
			sourceId: invoice.id,
			reference,
			amount: invoice.total,
		});
		if (invoice.writtenOffAt && invoice.amountWrittenOff > 0) {
			movements.push({
				date: day(invoice.writtenOffAt),
				type: "write_off",
				sourceId: invoice.id,
				reference,
				amount: -invoice.amountWrittenOff,
			});
		}
		if (invoice.voidedAt) {
			const cancelled = invoice.total - invoice.amountPaid - invoice.amountCredited - invoice.amountWrittenOff;
			movements.push({
				date: day(invoice.voidedAt),
				type: "void",
				sourceId: invoice.id,
				reference,
				amount: -cancelled,
			});
		}
	}
	for (const payment of paymentRows) {
		movements.push({
			date: day(payment.paidAt),
			type: "payment",
			sourceId: payment.id,
			reference: payment.reference ?? payment.id,
			amount: -payment.amount,
		});
	}
	for (const note of noteRows) {
		movements.push({
			date: day(note.createdAt),
			type: "credit_note",
			sourceId: note.id,
			reference: note.number,
			amount: -note.amount,
		});
		if (note.voidedAt) {
			movements.push({
				date: day(note.voidedAt),
				type: "void",
				sourceId: note.id,
				reference: note.number,
				amount: note.amount - note.amountApplied,
			});
		}
	}
	for (const refund of refundRows) {
		movements.push({
			date: day(refund.createdAt),
			type: "refund",
			sourceId: refund.id,
			reference: refund.id,
			amount: refund.amount,
		});
	}

	const settledBy = new Map<string, number>();
	for (const part of [...allocationRows, ...applicationRows]) {
		settledBy.set(part.invoiceId, (settledBy.get(part.invoiceId) ?? 0) + part.amount);
	}
	const openAtTo = invoiceRows
		.filter((invoice) => !(invoice.voidedAt && day(invoice.voidedAt) <= to))
		.map((invoice) => {
			const writtenOff = invoice.writtenOffAt && day(invoice.writtenOffAt) <= to ? invoice.amountWrittenOff : 0;
			return { dueDate: invoice.dueDate, balance: invoice.total - (settledBy.get(invoice.id) ?? 0) - writtenOff };
		})
		.filter((invoice) => invoice.balance > 0);
	return { movements, openAtTo };
}

/**
 * A statement of account for a period: computed from the customer's records, kept as a record, and
 * its PDF stored in R2 with the other issued documents.
 */
export async function createStatement({
	ctx,
	customerId,
	input,
}: {
	ctx: ServiceContext;
	customerId: string;
	input: { from: string; to: string; currency?: string };
}) {
	const periodError = statementPeriodError(input.from, input.to);
	if (periodError) throw fieldInvalid("body", periodError.field, periodError.message);
	const [customer, tenant] = await Promise.all([loadCustomer(ctx, customerId), loadTenantRow(ctx)]);
	const currency = input.currency ?? customer.currency;
	const { movements, openAtTo } = await movementsThrough(ctx, customerId, currency, input.to);
	const { openingBalance, lines, closingBalance } = buildStatement(movements, input.from, input.to);
	const aging = ageReceivables(openAtTo, input.to);
	const row: StatementRow = {
		id: newId("statement"),
		tenantId: ctx.tenantId,
		customerId,
		currency,
		periodFrom: input.from,
		periodTo: input.to,
		openingBalance,
		closingBalance,
		entries: lines,
		aging,
		createdAt: ctx.clock.now().toISOString(),
	};
	const pdf = await renderStatementPdf({
		locale: localeOf(tenant),
		currency,
		seller: sellerOf(tenant),
		buyer: buyerOf(customer),
		logo: await logoOf(ctx, tenant),
		from: input.from,
		to: input.to,
		openingBalance,
		entries: lines,
		closingBalance,
		aging,
		footer: await pdfFooter(ctx, tenant, "statement"),
	});
	// The file first: a statement row always has its PDF.
	await storeDocument(ctx, "statement", row.id, pdf);
	const presented = presentStatement(row);
	await ctx.db.batch([
		ctx.db.insert(statements).values(row),
		...changeStatements(ctx, {
			action: "statement.created",
			target: { type: "statement", id: row.id },
			before: null,
			after: presented,
			event: null,
			answers: { status: 201, location: `/v1/billing/statements/${row.id}` },
		}),
	]);
	return presented;
}

export async function loadStatement(ctx: ServiceContext, id: string): Promise<StatementRow> {
	const row = await ctx.db
		.select()
		.from(statements)
		.where(and(eq(statements.tenantId, ctx.tenantId), eq(statements.id, id)))
		.get();
	if (!row) throw notFound("statement", id);
	return row;
}

export const getStatement = async ({ ctx, id }: { ctx: ServiceContext; id: string }) =>
	presentStatement(await loadStatement(ctx, id));

/** A statement's stored PDF (stored before its row, so every statement has one) and its file name. */
export async function statementDocument(ctx: ServiceContext, row: StatementRow) {
	const document = await findDocument(ctx, "statement", row.id);
	if (!document) throw notFound("statement file", row.id);
	return { document, filename: `statement-${row.periodFrom}-${row.periodTo}.pdf` };
}

export async function statementPdf({ ctx, id }: { ctx: ServiceContext; id: string }) {
	const { document, filename } = await statementDocument(ctx, await loadStatement(ctx, id));
	return storedFile(ctx, document, filename);
}

export async function listStatements({
	ctx,
	customerId,
	query,
}: {
	ctx: ServiceContext;
	customerId: string;
	query: PaginationQuery;
}) {
	await loadCustomer(ctx, customerId);
	return paginate({
		query,
		idColumn: statements.id,
		run: (page) =>
			ctx.db
				.select()
				.from(statements)
				.where(and(eq(statements.tenantId, ctx.tenantId), eq(statements.customerId, customerId), page.where))
				.orderBy(...page.orderBy)
				.limit(page.limit)
				.offset(page.offset),
		present: presentStatement,
	});
}
