import { eq } from "drizzle-orm";
import { customers, tenants } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import {
	answeringInBatch,
	answerKey,
	createdResponse,
	type RequestKey,
	type StoredResponse,
} from "../../lib/idempotency";
import { newId } from "../../lib/ids";
import { type CustomerCreateInput, presentCustomer } from "../../schemas/customer";
import { changeStatements } from "../changeLog";
import { loadTestClock } from "../testClocks/testClocks";
import { requireBuyerProfile } from "./buyerProfile";

type CustomerRow = typeof customers.$inferSelect;

/** The HTTP answer to a created customer, as sent and as stored for its Idempotency-Key. */
export const customerCreatedResponse = (row: CustomerRow): StoredResponse =>
	createdResponse(`/v1/billing/customers/${row.id}`, presentCustomer(row), row.version);

/** Creates a customer in one batch, which also stores the answer to the request's Idempotency-Key. */
export function createCustomer({
	ctx,
	input,
	idempotencyKey,
}: {
	ctx: ServiceContext;
	input: CustomerCreateInput;
	idempotencyKey?: RequestKey;
}) {
	return answeringInBatch(ctx.db, idempotencyKey, async (key) => {
		const row = await newCustomer(ctx, input);
		const recordedIn = newId("audit");
		await ctx.db.batch([
			ctx.db.insert(customers).values(row),
			...changeStatements(ctx, {
				action: "customer.created",
				target: { type: "customer", id: row.id },
				before: null,
				after: presentCustomer(row),
				auditId: recordedIn,
			}),
			...(key ? [answerKey(ctx.db, key, customerCreatedResponse(row), recordedIn)] : []),
		]);
		return row;
	});
}

async function newCustomer(ctx: ServiceContext, input: CustomerCreateInput): Promise<CustomerRow> {
	const currency =
		input.currency ??
		(await ctx.db.select({ currency: tenants.defaultCurrency }).from(tenants).where(eq(tenants.id, ctx.tenantId)).get())
			?.currency ??
		"USD";
	if (input.test_clock_id) await loadTestClock(ctx, input.test_clock_id, "test_clock_id");
	const now = ctx.clock.now().toISOString();
	const row: CustomerRow = {
		id: newId("customer"),
		tenantId: ctx.tenantId,
		name: input.name,
		email: input.email ?? null,
		billingAddress: input.billing_address ?? null,
		taxId: input.tax_id ?? null,
		taxStatus: input.tax_status ?? "taxable",
		taxExemptionReason: input.tax_exemption_reason ?? null,
		taxExemptionReasonCode: input.tax_exemption_reason_code ?? null,
		currency,
		paymentTerms: input.payment_terms,
		accountCode: input.account_code ?? null,
		segment: input.segment ?? null,
		testClockId: input.test_clock_id ?? null,
		status: "active",
		metadata: input.metadata ?? {},
		version: 1,
		createdAt: now,
		updatedAt: now,
		deletedAt: null,
	};
	requireBuyerProfile(row);
	return row;
}
