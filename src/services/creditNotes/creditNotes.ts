import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import { byIdChunks } from "../../db/chunks";
import { runBatch } from "../../db/client";
import { creditNoteApplications, creditNotes } from "../../db/schema";
import { splitGross } from "../../domain/allocation";
import { parseNumberFormat } from "../../domain/invoiceNumber";
import { creditApplied, creditNoteIssued, reverse } from "../../domain/ledger";
import type { ServiceContext } from "../../lib/context";
import { AppError, fieldInvalid, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import {
	type CreditNoteCreateInput,
	type CreditNoteListQuery,
	type CreditNoteRow,
	presentCreditNote,
} from "../../schemas/creditNote";
import { callAccount } from "../accounts/accountClient";
import { changeStatements } from "../changeLog";
import { requestIssuedDocument } from "../documents/issuedDocuments";
import { refreshSettlementStatement } from "../invoices/invoiceStatements";
import { loadInvoiceDetail, loadInvoiceRow } from "../invoices/loadInvoice";
import { journalStatements } from "../ledger/journalStatements";
import { takeNextNumber } from "../numbering";
import { paginate } from "../pagination";
import { payableInvoice } from "../payments/openInvoices";

const CREDIT_NOTE_FORMAT = parseNumberFormat("CN-{YYYY}-{NNNN}");
const CREDITABLE_STATUSES = ["issued", "partially_paid", "paid"] as const;

type CreateRequest = CreditNoteCreateInput & { requestKey: string | null };
type ApplyRequest = { creditNoteId: string; invoiceId: string; amount?: number };

export async function loadCreditNote(ctx: ServiceContext, id: string) {
	const row = await ctx.db
		.select()
		.from(creditNotes)
		.where(and(eq(creditNotes.tenantId, ctx.tenantId), eq(creditNotes.id, id)))
		.get();
	if (!row) throw notFound("credit note", id);
	const applications = await ctx.db
		.select()
		.from(creditNoteApplications)
		.where(and(eq(creditNoteApplications.tenantId, ctx.tenantId), eq(creditNoteApplications.creditNoteId, id)))
		.orderBy(asc(creditNoteApplications.id));
	return { row, applications };
}

export const presentCreditNoteById = async (ctx: ServiceContext, id: string) => {
	const { row, applications } = await loadCreditNote(ctx, id);
	return presentCreditNote(row, applications);
};

export async function createCreditNote({
	ctx,
	input,
	requestKey,
}: {
	ctx: ServiceContext;
	input: CreditNoteCreateInput;
	requestKey: string | null;
}) {
	const invoice = await loadInvoiceRow(ctx, input.invoice_id).catch(() => null);
	if (!invoice || (input.customer_id && input.customer_id !== invoice.customerId)) {
		throw fieldInvalid("body", "invoice_id", `no invoice '${input.invoice_id}' of this customer exists`);
	}
	const note = await callAccount(ctx, invoice.customerId, (account, request) => account.createCreditNote(request), {
		...input,
		requestKey,
	});
	await requestIssuedDocument(ctx, "credit_note", note.id);
	return note;
}

/**
 * Inside the account object: credits part of an invoice — never more than it has left to credit —
 * reducing its balance first and keeping the rest as customer credit, numbered from a gapless series.
 */
export async function commitCreateCreditNote(ctx: ServiceContext, input: CreateRequest) {
	if (input.requestKey) {
		const earlier = await ctx.db
			.select({ id: creditNotes.id })
			.from(creditNotes)
			.where(and(eq(creditNotes.tenantId, ctx.tenantId), eq(creditNotes.requestKey, input.requestKey)))
			.get();
		if (earlier) return presentCreditNoteById(ctx, earlier.id);
	}
	const { invoice, lines } = await loadInvoiceDetail(ctx, input.invoice_id);
	if (!(CREDITABLE_STATUSES as readonly string[]).includes(invoice.status)) {
		throw new AppError(
			"invalid_state",
			`Invoice ${invoice.id} is ${invoice.status}: only an issued invoice can be credited.`,
			{
				extensions: { current_status: invoice.status },
			},
		);
	}
	const credited = await ctx.db
		.select({ total: sql<number>`coalesce(sum(${creditNotes.amount}), 0)` })
		.from(creditNotes)
		.where(
			and(
				eq(creditNotes.tenantId, ctx.tenantId),
				eq(creditNotes.invoiceId, invoice.id),
				ne(creditNotes.status, "voided"),
			),
		)
		.get();
	const creditable = invoice.total - (credited?.total ?? 0) - invoice.amountWrittenOff;
	let split: ReturnType<typeof splitGross>;
	if (input.lines) {
		const parts = input.lines.map((requested, i) => {
			const line = lines.find((l) => l.id === requested.line_id);
			if (!line) throw fieldInvalid("body", `lines.${i}.line_id`, "is not a line of this invoice");
			if (requested.amount > line.total)
				throw fieldInvalid("body", `lines.${i}.amount`, `exceeds the line total of ${line.total}`);
			return splitGross(requested.amount, { total: line.total, taxLines: line.taxes });
		});
		const taxes = new Map<string, number>();
		for (const part of parts)
			for (const t of part.taxLines) taxes.set(t.jurisdiction, (taxes.get(t.jurisdiction) ?? 0) + t.amount);
		split = {
			net: parts.reduce((s, p) => s + p.net, 0),
			taxLines: [...taxes].map(([jurisdiction, amount]) => ({ jurisdiction, amount })),
		};
	} else {
		const taxLines = new Map<string, number>();
		for (const line of lines)
			for (const t of line.taxes) taxLines.set(t.jurisdiction, (taxLines.get(t.jurisdiction) ?? 0) + t.amount);
		split = splitGross(input.amount as number, {
			total: invoice.total,
			taxLines: [...taxLines].map(([jurisdiction, amount]) => ({ jurisdiction, amount })),
		});
	}
	const amount = split.net + split.taxLines.reduce((s, t) => s + t.amount, 0);
	if (amount > creditable) {
		throw new AppError("conflict", `Invoice ${invoice.id} has ${creditable} left to credit; ${amount} was requested.`, {
			errors: [
				{ location: "body", field: input.lines ? "lines" : "amount", message: `exceeds the creditable ${creditable}` },
			],
			extensions: { creditable },
		});
	}
	const open = invoice.status !== "paid";
	const toInvoice = input.apply_to_invoice && open ? Math.min(amount, invoice.balance) : 0;
	const now = ctx.clock.now().toISOString();
	const id = newId("creditNote");
	const numbering = takeNextNumber(ctx, {
		series: "credit_note",
		format: CREDIT_NOTE_FORMAT as NonNullable<typeof CREDIT_NOTE_FORMAT>,
		year: Number(now.slice(0, 4)),
	});
	const journal = await journalStatements(ctx, {
		entryDate: now.slice(0, 10),
		source: { type: "credit_note", id },
		customerId: invoice.customerId,
		currency: invoice.currency,
		description: `Credit note for invoice ${invoice.number}: ${input.reason}`,
		posting: creditNoteIssued({ net: split.net, taxLines: split.taxLines, toInvoice, toCredit: amount - toInvoice }),
	});
	const row: CreditNoteRow = {
		id,
		tenantId: ctx.tenantId,
		customerId: invoice.customerId,
		invoiceId: invoice.id,
		number: "",
		status: "issued",
		currency: invoice.currency,
		amount,
		netAmount: split.net,
		taxLines: split.taxLines,
		reason: input.reason,
		amountApplied: toInvoice,
		requestKey: input.requestKey,
		journalEntryId: journal.entryId,
		createdAt: now,
		voidedAt: null,
	};
	const application = {
		id: newId("creditNoteApplication"),
		tenantId: ctx.tenantId,
		creditNoteId: id,
		invoiceId: invoice.id,
		amount: toInvoice,
		createdAt: now,
	};
	const paysOff = toInvoice > 0 && toInvoice === invoice.balance;
	await runBatch(ctx.db, [
		numbering.advance,
		ctx.db.insert(creditNotes).values({ ...row, number: numbering.number as unknown as string }),
		...(toInvoice > 0
			? [ctx.db.insert(creditNoteApplications).values(application), refreshSettlementStatement(ctx, invoice.id)]
			: []),
		...journal.statements,
		...changeStatements(ctx, {
			action: "credit_note.issued",
			target: { type: "credit_note", id },
			before: null,
			after: presentCreditNote(row, toInvoice > 0 ? [application] : []),
			alsoEmits: paysOff ? ["invoice.paid"] : [],
			numberedInBatch: true,
		}),
	]);
	return presentCreditNoteById(ctx, id);
}

export async function applyCreditNote({
	ctx,
	id,
	invoiceId,
	amount,
}: {
	ctx: ServiceContext;
	id: string;
	invoiceId: string;
	amount?: number;
}) {
	const { row } = await loadCreditNote(ctx, id);
	return callAccount(ctx, row.customerId, (account, request) => account.applyCreditNote(request), {
		creditNoteId: id,
		invoiceId,
		amount,
	});
}

/** Inside the account object: spends a note's remaining credit on another open invoice. */
export async function commitApplyCreditNote(ctx: ServiceContext, input: ApplyRequest) {
	const { row } = await loadCreditNote(ctx, input.creditNoteId);
	if (row.status !== "issued")
		throw new AppError("invalid_state", `Credit note ${row.id} is ${row.status}.`, {
			extensions: { current_status: row.status },
		});
	const invoice = await payableInvoice(ctx, input.invoiceId, row.customerId, row.currency, "invoice_id");
	const remaining = row.amount - row.amountApplied;
	const amount = input.amount ?? Math.min(remaining, invoice.balance);
	if (amount <= 0 || amount > remaining) {
		throw new AppError("conflict", `Credit note ${row.id} has ${remaining} left; ${amount} was requested.`, {
			errors: [{ location: "body", field: "amount", message: `exceeds the remaining ${remaining}` }],
		});
	}
	if (amount > invoice.balance)
		throw fieldInvalid("body", "amount", `exceeds the invoice's balance of ${invoice.balance}`);
	const now = ctx.clock.now().toISOString();
	const journal = await journalStatements(ctx, {
		entryDate: now.slice(0, 10),
		source: { type: "credit_note", id: row.id },
		customerId: row.customerId,
		currency: row.currency,
		description: `Credit note ${row.number} applied to invoice ${invoice.number}`,
		posting: creditApplied(amount),
	});
	await runBatch(ctx.db, [
		ctx.db.insert(creditNoteApplications).values({
			id: newId("creditNoteApplication"),
			tenantId: ctx.tenantId,
			creditNoteId: row.id,
			invoiceId: invoice.id,
			amount,
			createdAt: now,
		}),
		ctx.db
			.update(creditNotes)
			.set({ amountApplied: sql`${creditNotes.amountApplied} + ${amount}` as unknown as number })
			.where(and(eq(creditNotes.tenantId, ctx.tenantId), eq(creditNotes.id, row.id))),
		refreshSettlementStatement(ctx, invoice.id),
		...journal.statements,
		...changeStatements(ctx, {
			action: "credit_note.applied",
			target: { type: "credit_note", id: row.id },
			before: { amount_applied: row.amountApplied },
			after: { amount_applied: row.amountApplied + amount, invoice_id: invoice.id },
			alsoEmits: amount === invoice.balance ? ["invoice.paid"] : [],
		}),
	]);
	return presentCreditNoteById(ctx, row.id);
}

export async function voidCreditNote({ ctx, id }: { ctx: ServiceContext; id: string }) {
	const { row } = await loadCreditNote(ctx, id);
	return callAccount(ctx, row.customerId, (account, request) => account.voidCreditNote(request), { creditNoteId: id });
}

/** Inside the account object: withdraws a note none of whose credit was used, reversing its entry. */
export async function commitVoidCreditNote(ctx: ServiceContext, { creditNoteId }: { creditNoteId: string }) {
	const { row } = await loadCreditNote(ctx, creditNoteId);
	if (row.status !== "issued")
		throw new AppError("invalid_state", `Credit note ${row.id} is ${row.status}.`, {
			extensions: { current_status: row.status },
		});
	if (row.amountApplied > 0) {
		throw new AppError(
			"invalid_state",
			`Credit note ${row.id} has been applied (${row.amountApplied}); it can no longer be voided.`,
			{
				extensions: { current_status: row.status, amount_applied: row.amountApplied },
			},
		);
	}
	const now = ctx.clock.now().toISOString();
	const journal = await journalStatements(ctx, {
		entryDate: now.slice(0, 10),
		source: { type: "credit_note", id: row.id },
		customerId: row.customerId,
		currency: row.currency,
		description: `Credit note ${row.number} voided`,
		posting: reverse(
			creditNoteIssued({ net: row.netAmount, taxLines: row.taxLines, toInvoice: 0, toCredit: row.amount }),
		),
	});
	const after = { ...row, status: "voided" as const, voidedAt: now };
	await runBatch(ctx.db, [
		ctx.db
			.update(creditNotes)
			.set({ status: "voided", voidedAt: now })
			.where(and(eq(creditNotes.tenantId, ctx.tenantId), eq(creditNotes.id, row.id), eq(creditNotes.amountApplied, 0))),
		...journal.statements,
		...changeStatements(ctx, {
			action: "credit_note.voided",
			target: { type: "credit_note", id: row.id },
			before: presentCreditNote(row, []),
			after: presentCreditNote(after, []),
		}),
	]);
	return presentCreditNote(after, []);
}

export async function listCreditNotes({ ctx, query }: { ctx: ServiceContext; query: CreditNoteListQuery }) {
	const page = await paginate({
		query,
		idColumn: creditNotes.id,
		run: (p) =>
			ctx.db
				.select()
				.from(creditNotes)
				.where(
					and(
						eq(creditNotes.tenantId, ctx.tenantId),
						query.customer_id ? eq(creditNotes.customerId, query.customer_id) : undefined,
						query.invoice_id ? eq(creditNotes.invoiceId, query.invoice_id) : undefined,
						query.status ? eq(creditNotes.status, query.status) : undefined,
						p.where,
					),
				)
				.orderBy(...p.orderBy)
				.limit(p.limit)
				.offset(p.offset),
		present: (row) => row,
	});
	const ids = page.data.map((n) => n.id);
	const applications = await byIdChunks(ids, (chunk) =>
		ctx.db
			.select()
			.from(creditNoteApplications)
			.where(
				and(eq(creditNoteApplications.tenantId, ctx.tenantId), inArray(creditNoteApplications.creditNoteId, chunk)),
			),
	);
	return {
		...page,
		data: page.data.map((row) =>
			presentCreditNote(
				row,
				applications.filter((a) => a.creditNoteId === row.id),
			),
		),
	};
}
