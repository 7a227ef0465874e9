// Customer imports: each record is a customer-create body. A record whose external_id names a customer
// already updates it (`upsert`: the fields the record gives; `replace`: every field, those it leaves
// out cleared) and is skipped when that changes nothing, so the same file imported again changes nothing.
import { and, eq } from "drizzle-orm";
import { inJsonArray } from "../../db/chunks";
import { customers } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import {
	billingAddress,
	type CustomerCreateInput,
	type CustomerRow,
	type CustomerUpdateInput,
	customerCreateBody,
	presentCustomer,
} from "../../schemas/customer";
import { fieldErrorsOf } from "../../schemas/validation";
import { type Importer, type ImportMode, lineErrorOf, type Outcome, refusedLine, runImport } from "../jobs/imports";
import type { JobRow } from "../jobs/jobs";
import { createCustomer } from "./createCustomer";
import { updateCustomer } from "./updateCustomer";

/** What `replace` clears when a record leaves it out. */
const CLEARED: CustomerUpdateInput = {
	email: null,
	billing_address: null,
	tax_id: null,
	account_code: null,
	segment: null,
	metadata: {},
	payment_terms: "net30",
};

export const customerImporter: Importer = {
	shape: {
		fields: [
			...Object.keys(customerCreateBody.shape),
			...Object.keys(billingAddress.shape).map((field) => `billing_address.${field}`),
		],
	},
	maxRecords: 100_000,
	chunkSize: 50,
	async importChunk(ctx, records, job) {
		const existing = await customersByExternalId(ctx, records);
		const outcomes: Outcome[] = [];
		for (const { line, fields } of records) {
			const parsed = customerCreateBody.safeParse(fields, { reportInput: true });
			if (!parsed.success) {
				const errors = fieldErrorsOf(parsed.error.issues, "body");
				outcomes.push(lineErrorOf(line, "validation_failed", "The line is not a valid customer.", errors));
				continue;
			}
			const current = parsed.data.external_id ? existing.get(parsed.data.external_id) : undefined;
			try {
				if (!current) {
					const created = await createCustomer({ ctx, input: parsed.data });
					if (created.externalId) existing.set(created.externalId, created);
					outcomes.push("created");
					continue;
				}
				const patch = changesTo(current, parsed.data, Object.keys(fields), job.options.mode);
				if (Object.keys(patch).length === 0) outcomes.push("skipped");
				else {
					existing.set(current.externalId as string, await updateCustomer({ ctx, id: current.id, patch }));
					outcomes.push("updated");
				}
			} catch (error) {
				outcomes.push(refusedLine(line, error));
			}
		}
		return outcomes;
	},
};

async function customersByExternalId(ctx: ServiceContext, records: { fields: Record<string, unknown> }[]) {
	const ids = records.flatMap(({ fields }) => (typeof fields.external_id === "string" ? [fields.external_id] : []));
	const rows =
		ids.length === 0
			? []
			: await ctx.db
					.select()
					.from(customers)
					.where(and(eq(customers.tenantId, ctx.tenantId), inJsonArray(customers.externalId, ids)));
	return new Map<string, CustomerRow>(rows.map((row) => [row.externalId as string, row]));
}

/** The fields of `input` that differ from the customer as it is: only those it gives, or all of them to replace. */
function changesTo(current: CustomerRow, input: CustomerCreateInput, given: string[], mode: ImportMode) {
	const { test_clock_id: _clock, external_id: _external, ...updatable } = input;
	const wanted: CustomerUpdateInput =
		mode === "replace"
			? { ...CLEARED, ...updatable }
			: Object.fromEntries(Object.entries(updatable).filter(([field]) => given.includes(field)));
	const now = presentCustomer(current) as Record<string, unknown>;
	return Object.fromEntries(
		Object.entries(wanted).filter(([field, value]) => JSON.stringify(value) !== JSON.stringify(now[field])),
	) as CustomerUpdateInput;
}

/** Runs (or resumes, from its last checkpoint) a customer import job. */
export const runCustomerImport = (ctx: ServiceContext, job: JobRow) => runImport(ctx, job, customerImporter);
