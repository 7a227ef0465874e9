import { z } from "zod";
import { type AppContext, type ServiceContext, tenantContext } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { jobSchema, presentJob } from "../../schemas/job";
import { exportBody, exportPrefix } from "../../schemas/ledger";
import { loadJob, startJob } from "../../services/jobs/jobs";
import { startLedgerSync } from "../../services/ledger/ledgerJobs";
import { ApiRoute } from "../base";

const accepted = { "202": { description: "The job; poll GET /v1/billing/jobs/{id}", content: contentJson(jobSchema) } };

export class GlReconcile extends ApiRoute {
	readonly access = "ledger:write";
	/** Starts a job. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Ledger"],
		summary: "Reconcile the AR control account with open receivables",
		description:
			"A job comparing, per customer and currency, the receivables account with the invoices still owed; its result lists every difference.",
		operationId: "reconcileGl",
		responses: accepted,
	};

	override async handle(c: AppContext) {
		const job = await startJob(tenantContext(c), "gl_reconciliation", {});
		return c.json(presentJob(job), 202, { Location: `/v1/billing/jobs/${job.id}` });
	}
}

export class AccountingExport extends ApiRoute {
	readonly access = "ledger:read";
	/** Starts a job. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Ledger"],
		summary: "Export journals for an accounting system",
		description:
			"A job that writes the date range's journal lines to R2 as csv, a Xero manual-journal import or a QuickBooks Online journal-entry import.",
		operationId: "exportAccounting",
		request: { body: { content: contentJson(exportBody), required: true } },
		responses: accepted,
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		const job = await startJob(tenantContext(c), "accounting_export", {
			format: body.format,
			from: body.date_range.from,
			to: body.date_range.to,
			tax_rate: body.mapping?.tax_rate,
			account_names: body.mapping?.account_names,
			destination: exportPrefix(body.destination ?? "exports/"),
		});
		return c.json(presentJob(job), 202, { Location: `/v1/billing/exports/accounting/${job.id}` });
	}
}

export class AccountingExportGet extends ApiRoute {
	readonly access = "ledger:read";
	override schema = {
		tags: ["Ledger"],
		summary: "An export's status and download",
		description: "When it succeeded, `result_url` downloads the file.",
		operationId: "getAccountingExport",
		request: { params: idParam("job") },
		responses: {
			"200": { description: "The export job", content: contentJson(jobSchema) },
			"404": problemResponse("No such export for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		const job = await loadExport(tenantContext(c), params.id);
		return c.json({ ...presentJob(job), result_url: job.resultKey ? exportDownloadUrl(job.id) : null });
	}
}

const exportDownloadUrl = (id: string) => `/v1/billing/exports/accounting/${id}/download`;

async function loadExport(ctx: ServiceContext, id: string) {
	const job = await loadJob(ctx, id);
	if (job.type !== "accounting_export") throw notFound("accounting export", id);
	return job;
}

export class AccountingExportDownload extends ApiRoute {
	readonly access = "ledger:read";
	override schema = {
		tags: ["Ledger"],
		summary: "Download an export's file",
		description: "The file the export wrote to its destination, once it succeeded.",
		operationId: "downloadAccountingExport",
		request: { params: idParam("job") },
		responses: {
			"200": { description: "The export file (CSV)", content: { "text/csv": { schema: z.string() } } },
			"404": problemResponse("No such export for this tenant, or it has not written its file yet"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		const ctx = tenantContext(c);
		const job = await loadExport(ctx, params.id);
		const object = job.resultKey ? await ctx.env.FILES.get(job.resultKey) : null;
		if (!object) throw notFound("accounting export file", params.id);
		return new Response(object.body, {
			headers: {
				"Content-Type": object.httpMetadata?.contentType ?? "text/csv; charset=utf-8",
				"Content-Disposition": `attachment; filename="${job.resultKey?.split("/").at(-1)}"`,
			},
		});
	}
}

export class LedgerSync extends ApiRoute {
	readonly access = "ledger:write";
	/** Starts a job. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Ledger"],
		summary: "Push journals not yet synced to the ERP",
		description:
			"Idempotent: each run sends only what the ERP has not accepted yet, in signed batches to the settings' erp_webhook_url.",
		operationId: "syncLedger",
		responses: {
			...accepted,
			"409": problemResponse("No ERP is configured: set erp_webhook_url in settings first"),
		},
	};

	override async handle(c: AppContext) {
		const job = await startLedgerSync(tenantContext(c));
		return c.json(presentJob(job), 202, { Location: `/v1/billing/jobs/${job.id}` });
	}
}
