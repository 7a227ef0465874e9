import { and, asc, eq } from "drizzle-orm";
import { runBatch } from "../../db/client";
import { fxRates } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { fieldInvalid } from "../../lib/errors";
import { changeStatements } from "../changeLog";
import { loadChart } from "./chart";

const present = (row: typeof fxRates.$inferSelect, base: string) => ({
	object: "fx_rate" as const,
	currency: row.currency,
	base_currency: base,
	rate: row.rate,
	effective_date: row.effectiveDate,
});

/** Records (or corrects) the rate of a currency from a day on; postings from then use it. */
export async function setFxRate({
	ctx,
	input,
}: {
	ctx: ServiceContext;
	input: { currency: string; rate: string; effective_date: string };
}) {
	const chart = await loadChart(ctx);
	if (input.currency === chart.baseCurrency)
		throw fieldInvalid("body", "currency", `is the base currency (${chart.baseCurrency}); its rate is 1`);
	const row = {
		tenantId: ctx.tenantId,
		currency: input.currency,
		effectiveDate: input.effective_date,
		rate: input.rate,
		createdAt: ctx.clock.now().toISOString(),
	};
	const presented = present(row, chart.baseCurrency);
	await runBatch(ctx.db, [
		ctx.db
			.insert(fxRates)
			.values(row)
			.onConflictDoUpdate({
				target: [fxRates.tenantId, fxRates.currency, fxRates.effectiveDate],
				set: { rate: row.rate, createdAt: row.createdAt },
			}),
		...changeStatements(ctx, {
			action: "fx_rate.set",
			target: { type: "fx_rate", id: `${input.currency}@${input.effective_date}` },
			before: null,
			after: input,
			event: null,
			answers: { status: 201, body: presented },
		}),
	]);
	return presented;
}

export async function listFxRates({ ctx, currency }: { ctx: ServiceContext; currency?: string }) {
	const chart = await loadChart(ctx);
	const rows = await ctx.db
		.select()
		.from(fxRates)
		.where(and(eq(fxRates.tenantId, ctx.tenantId), currency ? eq(fxRates.currency, currency) : undefined))
		.orderBy(asc(fxRates.currency), asc(fxRates.effectiveDate));
	const data = rows.map((row) => present(row, chart.baseCurrency));
	return { object: "list" as const, data, has_more: false, next_cursor: null, limit: data.length };
}
