import { runBatch } from "../../db/client";
import { invoices, taxAdjustments } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import { taxAdjusted } from "../../domain/ledger";
import { todayOf } from "../../lib/clock";
import type { ServiceContext } from "../../lib/context";
import { AppError, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { TaxAdjustmentInput } from "../../schemas/taxFilings";
import { changeStatements } from "../changeLog";
import { loadChart } from "../ledger/chart";
import { journalStatements } from "../ledger/journalStatements";
import { presentWrittenJournal } from "../ledger/journals";
import { refuseClosedPeriod } from "../ledger/manualJournal";

type TaxAdjustmentRow = typeof taxAdjustments.$inferSelect;

const presentTaxAdjustment = (row: TaxAdjustmentRow) => ({
	object: "tax_adjustment" as const,
	id: row.id,
	jurisdiction: row.jurisdiction,
	direction: row.direction,
	amount: row.amount,
	currency: row.currency,
	date: row.date,
	reason: row.reason,
	invoice_id: row.invoiceId,
	journal_entry_id: row.journalEntryId,
	created_at: row.createdAt,
});

/**
 * Corrects the tax owed to a jurisdiction by a balanced journal against the tax adjustment account,
 * recorded with its reason and audited. An issued invoice it concerns stays as issued.
 */
export async function adjustTax({ ctx, input }: { ctx: ServiceContext; input: TaxAdjustmentInput }) {
	const date = input.date ?? todayOf(ctx.clock.now());
	const chart = await loadChart(ctx);
	refuseClosedPeriod(chart, date);
	if (input.invoice_id) {
		const invoice = await ctx.db
			.select({ status: invoices.status })
			.from(invoices)
			.where(idInTenant(invoices, ctx.tenantId, input.invoice_id))
			.get();
		if (!invoice) throw notFound("invoice", input.invoice_id);
		if (invoice.status === "draft") {
			throw new AppError("invalid_state", `Invoice ${input.invoice_id} is a draft: correct its lines instead.`, {
				extensions: { current_status: invoice.status },
			});
		}
	}
	const id = newId("taxAdjustment");
	const journal = await journalStatements(
		ctx,
		{
			entryDate: date,
			source: { type: "tax_adjustment", id },
			customerId: null,
			currency: input.currency,
			description: `Tax adjustment (${input.jurisdiction}): ${input.reason}`,
			posting: taxAdjusted(input),
		},
		chart,
	);
	const row: TaxAdjustmentRow = {
		id,
		tenantId: ctx.tenantId,
		jurisdiction: input.jurisdiction,
		direction: input.direction,
		amount: input.amount,
		currency: input.currency,
		date,
		reason: input.reason,
		invoiceId: input.invoice_id ?? null,
		journalEntryId: journal.entryId,
		createdAt: ctx.clock.now().toISOString(),
	};
	const presented = presentTaxAdjustment(row);
	const adjusted = { ...presented, journal: presentWrittenJournal(journal, chart) };
	await runBatch(ctx.db, [
		...journal.statements,
		ctx.db.insert(taxAdjustments).values(row),
		...changeStatements(ctx, {
			action: "tax.adjusted",
			target: { type: "tax_adjustment", id },
			before: null,
			after: presented,
			event: null,
			answers: { status: 201, body: adjusted },
		}),
	]);
	return adjusted;
}
