import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, problemResponse } from "../../schemas/common";
import { closePeriodBody, periodsSchema } from "../../schemas/ledger";
import { loadChart } from "../../services/ledger/chart";
import { closeBooks } from "../../services/ledger/manualJournal";
import { ApiRoute } from "../base";

export class PeriodsGet extends ApiRoute {
	readonly access = "ledger:read";
	override schema = {
		tags: ["Ledger"],
		summary: "How far the books are closed",
		operationId: "getLedgerPeriods",
		responses: { "200": { description: "The closing date, or null", content: contentJson(periodsSchema) } },
	};

	override async handle(c: AppContext) {
		const chart = await loadChart(tenantContext(c));
		return c.json({ object: "ledger_periods" as const, closed_through: chart.closedThrough });
	}
}

export class PeriodClose extends ApiRoute {
	readonly access = "ledger:write";
	override schema = {
		tags: ["Ledger"],
		summary: "Close the books through a day",
		description:
			"Afterwards nothing posts on or before that day: manual journals dated there are refused, and automatic " +
			"postings (a backdated invoice, a late payment) land on the first open day. A closed period stays closed.",
		operationId: "closeLedgerPeriod",
		request: { body: { content: contentJson(closePeriodBody), required: true } },
		responses: {
			"200": { description: "The new closing date", content: contentJson(periodsSchema) },
			"409": problemResponse("A concurrent close went further first"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		return c.json(await closeBooks({ ctx: tenantContext(c), through: body.through }));
	}
}
