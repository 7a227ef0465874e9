// Starting an import of any type and reading its status: the type decides the job and the importer.
import { mappingErrors } from "../../domain/importRecords";
import type { ServiceContext } from "../../lib/context";
import { AppError, notFound } from "../../lib/errors";
import {
	type ImportCreateInput,
	type ImportType,
	importJobTypes,
	importTypeOf,
	presentImport,
} from "../../schemas/imports";
import { customerImporter } from "../customers/importCustomers";
import { invoiceImporter } from "../invoices/importInvoices";
import { type Importer, importCounts, startImport } from "../jobs/imports";
import { loadJob } from "../jobs/jobs";
import { journalImporter } from "../ledger/importJournals";
import { paymentImporter } from "../payments/importPayments";
import { usageImporter } from "../usage/usageJobs";

const importers: Record<ImportType, Importer> = {
	invoices: invoiceImporter,
	payments: paymentImporter,
	usage: usageImporter,
	journals: journalImporter,
	customers: customerImporter,
};

/** Checks the mapping against the type's fields, keeps the file in R2 and queues the job. */
export async function createImport({ ctx, input }: { ctx: ServiceContext; input: ImportCreateInput }) {
	const unknown = mappingErrors(input.mapping, importers[input.type].shape);
	if (unknown.length > 0) {
		throw new AppError("validation_failed", "The mapping names fields this import does not have.", {
			errors: unknown.map((e) => ({ location: "body", ...e })),
		});
	}
	const source = input.data !== undefined ? { text: input.data } : { objectKey: input.source as string };
	const job = await startImport(ctx, importJobTypes[input.type], source, {
		format: input.format,
		mapping: input.mapping,
		mode: input.mode,
		sourceField: "source",
	});
	return presentImport(job, importCounts(job));
}

export async function getImport({ ctx, id }: { ctx: ServiceContext; id: string }) {
	const job = await loadJob(ctx, id);
	if (!importTypeOf(job.type)) throw notFound("import", id);
	return presentImport(job, importCounts(job));
}
