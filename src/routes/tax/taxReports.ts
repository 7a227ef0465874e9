import { type AppContext, tenantContext } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { jobSchema, presentJob } from "../../schemas/job";
import { taxReportQuery } from "../../schemas/taxFilings";
import { loadJob } from "../../services/jobs/jobs";
import { startTaxReport, taxReportKey } from "../../services/tax/taxReport";
import { ApiRoute } from "../base";

export class TaxReportStart extends ApiRoute {
	readonly access = "tax:read";
	override schema = {
		tags: ["Tax"],
		summary: "Report the tax owed for a period",
		description:
			"A job that sums, per jurisdiction × VAT category × rate, the taxable base and tax of the invoices issued " +
			"and the credit notes granted in the period, and the net owed, from the same journal entries that moved " +
			"tax payable, so its totals equal the ledger's. `result_url` downloads it as JSON with an EU OSS return " +
			"(per member state of consumption); `result.csv_url` as CSV. Amounts are integer minor units.",
		operationId: "startTaxReport",
		request: { query: taxReportQuery },
		responses: {
			"202": { description: "The job; poll GET /v1/billing/jobs/{id}", content: contentJson(jobSchema) },
		},
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		const job = await startTaxReport(tenantContext(c), {
			from: query.from,
			to: query.to,
			...(query.jurisdiction ? { jurisdiction: query.jurisdiction } : {}),
		});
		return c.json(presentJob(job), 202, { Location: `/v1/billing/jobs/${job.id}` });
	}
}

export class TaxReportCsv extends ApiRoute {
	readonly access = "tax:read";
	override schema = {
		tags: ["Tax"],
		summary: "Download a tax report as CSV",
		operationId: "getTaxReportCsv",
		request: { params: idParam("job") },
		responses: {
			"200": { description: "The report's rows", content: { "text/csv": { schema: {} } } },
			"404": problemResponse("No such finished tax report for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		const ctx = tenantContext(c);
		const job = await loadJob(ctx, params.id);
		const object =
			job.type === "tax_report" ? await ctx.env.FILES.get(taxReportKey(ctx.tenantId, job.id, "csv")) : null;
		if (!object) throw notFound("tax report", params.id);
		return new Response(object.body, {
			headers: {
				"Content-Type": "text/csv; charset=utf-8",
				"Content-Disposition": `attachment; filename="${job.id}-tax-report.csv"`,
			},
		});
	}
}
