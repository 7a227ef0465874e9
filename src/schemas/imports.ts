import { z } from "zod";
import type { jobs } from "../db/schema";
import type { ImportCounts, ImportInput } from "../services/jobs/imports";
import { timestamp } from "./common";

export const importTypes = ["invoices", "payments", "usage", "journals", "customers"] as const;
export type ImportType = (typeof importTypes)[number];

/** The job type each import type runs as. */
export const importJobTypes = {
	invoices: "invoice_import",
	payments: "payment_import",
	usage: "usage_import",
	journals: "journal_import",
	customers: "customer_import",
} as const satisfies Record<ImportType, string>;

export const uploadName = z
	.string()
	.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, "must be 1 to 128 letters, digits, '.', '_' or '-'");

export const importCreateBody = z
	.strictObject({
		type: z.enum(importTypes),
		source: z.string().min(1).max(1024).optional().meta({
			description: "The R2 key of a file uploaded with POST /v1/billing/uploads (under your tenant's prefix).",
		}),
		data: z.string().min(1).optional().meta({
			description: "The file itself, for small imports (the request body's size limit applies).",
		}),
		format: z.enum(["ndjson", "csv"]).default("ndjson").meta({
			description: "ndjson: one JSON object per line; csv: a header row, then one record per row.",
		}),
		mapping: z
			.record(z.string().min(1).max(200), z.string().min(1).max(200))
			.default({})
			.meta({
				description:
					'CSV column (or NDJSON key) → field, e.g. {"Amount (cents)": "amount"}; other columns keep their names, ' +
					"and columns naming no field are ignored.",
			}),
		mode: z
			.enum(["upsert", "replace"])
			.default("upsert")
			.meta({
				description:
					"Both match records by your external_id: a record already imported is skipped, or updated where it differs. " +
					"upsert updates the fields a record gives; replace also clears those it leaves out. Payments and journals " +
					"are money already booked: never changed by an import, only skipped.",
			}),
	})
	.refine((body) => (body.source === undefined) !== (body.data === undefined), {
		message: "send either source or data",
		path: ["source"],
	})
	.meta({
		id: "ImportCreate",
		example: {
			type: "payments",
			source: "ten_01JD3Q8W5Z9K2M4N6P8R0T2V4X/uploads/upl_4f9c2d7e8a1b3c5d6e7f8a9b",
			format: "csv",
			mapping: { Customer: "customer_id", Amount: "amount" },
			mode: "upsert",
		},
	});
export type ImportCreateInput = z.infer<typeof importCreateBody>;

export const importSchema = z
	.object({
		id: z.string(),
		object: z.literal("import"),
		type: z.enum(importTypes),
		status: z.enum(["queued", "running", "succeeded", "failed", "canceled"]),
		source: z.string(),
		format: z.enum(["ndjson", "csv"]),
		mode: z.enum(["upsert", "replace"]),
		counts: z.object({
			total: z.number().int().nullable(),
			processed: z.number().int(),
			created: z.number().int(),
			updated: z.number().int(),
			skipped: z.number().int(),
			failed: z.number().int(),
		}),
		errors: z
			.array(z.object({ line: z.number().int(), field: z.string().nullable(), code: z.string(), message: z.string() }))
			.meta({ description: "The first 100 line errors; the error report holds them all." }),
		error_report_url: z.string().nullable().meta({
			description: "Download of the error report: NDJSON, one line error (line, field, code, message) per line.",
		}),
		created_at: timestamp,
		updated_at: timestamp,
		finished_at: timestamp.nullable(),
	})
	.meta({ id: "Import" });
export type ImportResource = z.infer<typeof importSchema>;

const typeOfJob = Object.fromEntries(Object.entries(importJobTypes).map(([type, job]) => [job, type])) as Record<
	string,
	ImportType
>;

/** The import type a job runs, or undefined for a job that is no import. */
export const importTypeOf = (jobType: string): ImportType | undefined => typeOfJob[jobType];

export const presentImport = (row: typeof jobs.$inferSelect, counts: ImportCounts): ImportResource => {
	const input = row.input as ImportInput;
	return {
		id: row.id,
		object: "import",
		type: importTypeOf(row.type) as ImportType,
		status: row.status,
		source: input.object_key,
		format: input.format ?? "ndjson",
		mode: input.mode ?? "upsert",
		counts: { total: row.total, processed: row.processed, ...counts },
		errors: row.errors as ImportResource["errors"],
		error_report_url: row.resultKey ? `/v1/billing/jobs/${row.id}/result` : null,
		created_at: row.createdAt,
		updated_at: row.updatedAt,
		finished_at: row.finishedAt,
	};
};

export const uploadCreateBody = z
	.strictObject({
		content_type: z.enum(["text/csv", "application/x-ndjson"]).default("text/csv"),
	})
	.meta({ id: "UploadCreate", example: { content_type: "text/csv" } });

export const uploadSchema = z
	.object({
		object: z.literal("upload"),
		key: z.string().meta({ description: "The R2 key: pass it as an import's `source`." }),
		upload_url: z.string().meta({ description: "PUT the file's bytes here, without a credential, before expires_at." }),
		method: z.literal("PUT"),
		expires_at: timestamp,
		max_bytes: z.number().int(),
	})
	.meta({ id: "Upload" });

export const uploadStoredSchema = z
	.object({ object: z.literal("upload"), key: z.string(), size: z.number().int(), content_type: z.string() })
	.meta({ id: "UploadStored" });
