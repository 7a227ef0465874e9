import { type AppContext, tenantContext } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { jobSchema, presentJob } from "../../schemas/job";
import { exportBody } from "../../schemas/ledger";
import { loadJob, startJob } from "../../services/jobs/jobs";
import { startLedgerSync } from "../../services/ledger/ledgerJobs";
import { ApiRoute } from "../base";

const accepted = { "202": { description: "The job; poll GET /v1/billing/jobs/{id}", content: contentJson(jobSchema) } };

export class GlReconcile extends ApiRoute {
	readonly access = "ledger:write";
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
		const job = await loadJob(tenantContext(c), params.id);
		if (job.type !== "accounting_export") throw notFound("accounting export", params.id);
		return c.json(presentJob(job));
	}
}

export class LedgerSync extends ApiRoute {
	readonly access = "ledger:write";
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
