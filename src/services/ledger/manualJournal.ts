import { eq } from "drizzle-orm";
import { runBatch } from "../../db/client";
import { tenants } from "../../db/schema";
import { isKnownAccount } from "../../domain/ledger";
import type { ServiceContext } from "../../lib/context";
import { refusalOf } from "../../lib/dbErrors";
import { AppError, type FieldError, fieldInvalid } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { ManualJournalInput } from "../../schemas/ledger";
import { changeStatements } from "../changeLog";
import { type Chart, loadChart } from "./chart";
import { journalStatements } from "./journalStatements";
import { presentWrittenJournal } from "./journals";

/** A journal entered by hand is dated in an open period: a closed one is corrected in the open one. */
export function refuseClosedPeriod(chart: Pick<Chart, "closedThrough">, date: string) {
	if (chart.closedThrough !== null && date <= chart.closedThrough) {
		throw fieldInvalid(
			"body",
			"date",
			`the books are closed through ${chart.closedThrough}; post the correction in the open period`,
		);
	}
}

/**
 * A journal entered by hand: balanced, on known accounts, dated in an open period. An imported one is
 * sourced by the caller's external id (`sourceId`), which a later import of it finds.
 */
export async function createManualJournal({
	ctx,
	input,
	sourceId = newId("journal"),
}: {
	ctx: ServiceContext;
	input: ManualJournalInput;
	sourceId?: string;
}) {
	const chart = await loadChart(ctx);
	const errors: FieldError[] = [];
	input.entries.forEach((entry, i) => {
		if (!isKnownAccount(entry.account_code, chart.customCodes)) {
			errors.push({
				location: "body",
				field: `entries.${i}.account_code`,
				message: `account ${entry.account_code} does not exist`,
			});
		}
		if ((entry.debit === 0) === (entry.credit === 0)) {
			errors.push({ location: "body", field: `entries.${i}`, message: "needs either a debit or a credit, not both" });
		}
	});
	const debits = input.entries.reduce((s, e) => s + e.debit, 0);
	const credits = input.entries.reduce((s, e) => s + e.credit, 0);
	if (debits !== credits)
		errors.push({ location: "body", field: "entries", message: `debits (${debits}) and credits (${credits}) differ` });
	if (errors.length) throw new AppError("validation_failed", "The journal cannot be posted.", { errors });
	refuseClosedPeriod(chart, input.date);
	const journal = await journalStatements(
		ctx,
		{
			entryDate: input.date,
			source: { type: "manual", id: sourceId },
			customerId: null,
			currency: input.currency,
			description: input.description,
			lines: input.entries.map((e) => ({
				accountCode: e.account_code,
				debit: e.debit,
				credit: e.credit,
				description: [e.description, e.source_ref].filter(Boolean).join(" · ") || null,
			})),
		},
		chart,
	);
	const presented = presentWrittenJournal(journal, chart);
	await runBatch(ctx.db, [
		...journal.statements,
		...changeStatements(ctx, {
			action: "journal.created",
			target: { type: "journal_entry", id: journal.entryId },
			before: null,
			after: input,
			answers: { status: 201, body: presented },
		}),
	]);
	return presented;
}

export async function closeBooks({ ctx, through }: { ctx: ServiceContext; through: string }) {
	const chart = await loadChart(ctx);
	const today = ctx.clock.now().toISOString().slice(0, 10);
	if (through >= today) throw fieldInvalid("body", "through", "must be a day in the past");
	if (chart.closedThrough !== null && through <= chart.closedThrough) {
		throw fieldInvalid("body", "through", `the books are already closed through ${chart.closedThrough}`);
	}
	const periods = { object: "ledger_periods" as const, closed_through: through };
	try {
		await runBatch(ctx.db, [
			ctx.db.update(tenants).set({ booksClosedThrough: through }).where(eq(tenants.id, ctx.tenantId)),
			...changeStatements(ctx, {
				action: "ledger.period_closed",
				target: { type: "tenant", id: ctx.tenantId },
				before: { closed_through: chart.closedThrough },
				after: { closed_through: through },
				answers: { status: 200, body: periods },
			}),
		]);
	} catch (error) {
		// A concurrent close went further first: the closed-period trigger refuses moving the date back.
		if (refusalOf(error) === "constraint") {
			throw new AppError("conflict", "The books were closed through a later day meanwhile; read the periods again.");
		}
		throw error;
	}
	return periods;
}
