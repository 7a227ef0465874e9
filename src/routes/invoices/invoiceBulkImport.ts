import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { contentJson } from "../../schemas/common";
import { jobSchema, presentJob } from "../../schemas/job";
import { fieldErrorsOf } from "../../schemas/validation";
import { MAX_IMPORT_LINES, startInvoiceImport } from "../../services/invoices/importInvoices";
import { ApiRoute } from "../base";

const objectKeyBody = z
	.strictObject({ object_key: z.string().min(1).max(1024).meta({ description: "An NDJSON object in the R2 bucket." }) })
	.meta({ id: "InvoiceImportFromObject" });

export class InvoiceBulkImport extends ApiRoute {
	readonly access = "invoices:write";
	/** Starts a job. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: ["Invoices"],
		summary: "Import invoices in bulk",
		description:
			`Send NDJSON (application/x-ndjson), one invoice-create body per line (at most ${MAX_IMPORT_LINES}), or JSON ` +
			"naming an R2 object under your tenant's prefix. Returns 202 with a job; poll GET /v1/billing/jobs/{id}. " +
			"Each good line becomes one invoice; each bad line is reported with its line number and errors.",
		operationId: "importInvoices",
		request: {
			body: {
				content: {
					"application/x-ndjson": { schema: z.string().meta({ example: '{"customer_id":"cus_…","items":[…]}\n' }) },
					"application/json": { schema: objectKeyBody },
				},
				required: true,
			},
		},
		responses: { "202": { description: "The import job", content: contentJson(jobSchema) } },
	};

	// The body is NDJSON or JSON by Content-Type, so it is read here rather than by the JSON validator.
	override async handle(c: AppContext) {
		const raw = c.get("rawBody") ?? "";
		const isNdjson = /ndjson/i.test(c.req.header("content-type") ?? "");
		let source: { text: string } | { objectKey: string };
		if (isNdjson) {
			source = { text: raw };
		} else {
			const parsed = objectKeyBody.safeParse(raw ? JSON.parse(raw) : {}, { reportInput: true });
			if (!parsed.success) {
				const errors = fieldErrorsOf(parsed.error.issues, "body");
				throw new AppError("validation_failed", "Send NDJSON, or JSON with object_key.", { errors });
			}
			source = { objectKey: parsed.data.object_key };
		}
		const job = await startInvoiceImport({ ctx: tenantContext(c), source });
		return c.json(presentJob(job), 202, { Location: `/v1/billing/jobs/${job.id}` });
	}
}
