import { and, eq, ne, sql } from "drizzle-orm";
import { creditNoteApplications, creditNotes } from "../../../src/db/schema";
import { idInTenant } from "../../../src/db/scope";
import { byText } from "../../../src/domain/allocation";
import { splitCredit } from "../../../src/domain/creditNote";
import { parseNumberFormat } from "../../../src/domain/invoiceNumber";
import { creditApplied, creditNoteIssued, reverse } from "../../../src/domain/ledger";
import type { ServiceContext } from "../../../src/lib/context";
import { AppError, fieldInvalid } from "../../../src/lib/errors";
import { newId } from "../../../src/lib/ids";
import { type CreditNoteCreateInput, type CreditNoteRow, presentCreditNote } from "../../../src/schemas/creditNote";
import { loadCreditNote, presentCreditNoteById } from "../../../src/services/creditNotes/creditNotes";
import { refreshSettlementStatement } from "../../../src/services/invoices/invoiceStatements";
import { loadInvoiceDetail } from "../../../src/services/invoices/loadInvoice";
import { journalStatements } from "../../../src/services/ledger/journalStatements";
import { takeNextNumber } from "../../../src/services/numbering";
import { payableInvoice } from "../../../src/services/payments/openInvoices";
import { commit } from "../commit";

const CREDIT_NOTE_FORMAT = parseNumberFormat("CN-{YYYY}-{NNNN}");
const CREDITABLE_STATUSES = ["issued", "partially_paid", "paid"] as const;

type CreateRequest = CreditNoteCreateInput & { requestKey: string | null };
type ApplyRequest = { creditNoteId: string; invoiceId: string; amount?: number };

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
	const split = splitCredit(invoice, lines, input.lines ? { lines: input.lines } : { amount: input.amount as number });
	if (!split.ok) throw fieldInvalid("body", split.field, split.message);
	const { amount } = split;
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
		lines: split.lines,
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
	await commit(ctx, {
		writes: [
			numbering.advance,
			ctx.db.insert(creditNotes).values({ ...row, number: numbering.number as unknown as string }),
			...(toInvoice > 0
				? [ctx.db.insert(creditNoteApplications).values(application), refreshSettlementStatement(ctx, invoice.id)]
				: []),
		],
		journal,
		changes: [
			{
				action: "credit_note.issued",
				target: { type: "credit_note", id },
				before: null,
				after: presentCreditNote(row, toInvoice > 0 ? [application] : []),
				alsoEmits: paysOff ? ["invoice.paid"] : [],
				numberedInBatch: true,
				// Billing and prorations issue notes too: their routes claim the key first, so no commit answers it.
				answers: { status: 201, location: `/v1/billing/credit-notes/${id}` },
			},
		],
	});
	return presentCreditNoteById(ctx, id);
}

/** Inside the account object: spends a note's remaining credit on another open invoice. */
export async function commitApplyCreditNote(ctx: ServiceContext, input: ApplyRequest) {
	const { row, applications } = await loadCreditNote(ctx, input.creditNoteId);
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
	const application = {
		id: newId("creditNoteApplication"),
		tenantId: ctx.tenantId,
		creditNoteId: row.id,
		invoiceId: invoice.id,
		amount,
		createdAt: now,
	};
	// The note as the batch leaves it, its applications in `loadCreditNote`'s order: the route's answer.
	const applied = presentCreditNote(
		{ ...row, amountApplied: row.amountApplied + amount },
		[...applications, application].sort((a, b) => byText(a.id, b.id)),
	);
	await commit(ctx, {
		writes: [
			ctx.db.insert(creditNoteApplications).values(application),
			ctx.db
				.update(creditNotes)
				.set({ amountApplied: sql`${creditNotes.amountApplied} + ${amount}` as unknown as number })
				.where(idInTenant(creditNotes, ctx.tenantId, row.id)),
			refreshSettlementStatement(ctx, invoice.id),
		],
		journal,
		changes: [
			{
				action: "credit_note.applied",
				target: { type: "credit_note", id: row.id },
				before: { amount_applied: row.amountApplied },
				after: { amount_applied: row.amountApplied + amount, invoice_id: invoice.id },
				alsoEmits: amount === invoice.balance ? ["invoice.paid"] : [],
				answers: { status: 200, body: applied },
			},
		],
	});
	return applied;
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
	await commit(ctx, {
		writes: [
			ctx.db
				.update(creditNotes)
				.set({ status: "voided", voidedAt: now })
				.where(
					and(eq(creditNotes.tenantId, ctx.tenantId), eq(creditNotes.id, row.id), eq(creditNotes.amountApplied, 0)),
				),
		],
		journal,
		changes: [
			{
				action: "credit_note.voided",
				target: { type: "credit_note", id: row.id },
				before: presentCreditNote(row, []),
				after: presentCreditNote(after, []),
				answers: { status: 200 },
			},
		],
	});
	return presentCreditNote(after, []);
}
