import { eq } from "drizzle-orm";
import { customers, tenants } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { isUniqueViolation } from "../../lib/dbErrors";
import { AppError } from "../../lib/errors";
import { answerOf, type ChangeAnswer, type StoredResponse } from "../../lib/idempotency";
import { newId } from "../../lib/ids";
import { type CustomerCreateInput, presentCustomer } from "../../schemas/customer";
import { changeStatements } from "../changeLog";
import { requireDunningRule } from "../dunning/loadRule";
import { loadTestClock } from "../testClocks/testClocks";
import { requireBuyerProfile } from "./buyerProfile";
import { requireLeitwegId } from "./buyerReference";

type CustomerRow = typeof customers.$inferSelect;

/** How a created customer answers: 201, with its `Location` and `ETag`. */
const customerCreated = (row: CustomerRow): ChangeAnswer => ({
	status: 201,
	location: `/v1/billing/customers/${row.id}`,
	version: row.version,
});

/** The HTTP answer to a created customer, as sent and as its change stores it for the request's key. */
export const customerCreatedResponse = (row: CustomerRow): StoredResponse =>
	answerOf(customerCreated(row), presentCustomer(row));

/** Creates a customer in one batch, which also answers the request's Idempotency-Key (`Change.answers`). */
export async function createCustomer({ ctx, input }: { ctx: ServiceContext; input: CustomerCreateInput }) {
	const row = await newCustomer(ctx, input);
	await refuseTakenExternalId(input.external_id, () =>
		ctx.db.batch([
			ctx.db.insert(customers).values(row),
			...changeStatements(ctx, {
				action: "customer.created",
				target: { type: "customer", id: row.id },
				before: null,
				after: presentCustomer(row),
				answers: customerCreated(row),
			}),
		]),
	);
	return row;
}

/** Runs a customer's batch; the unique external id it breaks is the caller's conflict, naming the field. */
export async function refuseTakenExternalId<T>(externalId: string | null | undefined, run: () => Promise<T>) {
	try {
		return await run();
	} catch (error) {
		if (externalId && isUniqueViolation(error)) {
			throw new AppError("conflict", `A customer with external_id '${externalId}' exists already.`, {
				errors: [{ location: "body", field: "external_id", message: "is taken by another customer" }],
			});
		}
		throw error;
	}
}

async function newCustomer(ctx: ServiceContext, input: CustomerCreateInput): Promise<CustomerRow> {
	const defaults = await ctx.db
		.select({ currency: tenants.defaultCurrency, paymentTerms: tenants.defaultPaymentTerms })
		.from(tenants)
		.where(eq(tenants.id, ctx.tenantId))
		.get();
	if (input.test_clock_id) await loadTestClock(ctx, input.test_clock_id, "test_clock_id");
	if (input.dunning_rule_id) await requireDunningRule(ctx, input.dunning_rule_id);
	const now = ctx.clock.now().toISOString();
	const row: CustomerRow = {
		id: newId("customer"),
		tenantId: ctx.tenantId,
		name: input.name,
		email: input.email ?? null,
		billingAddress: input.billing_address ?? null,
		taxId: input.tax_id ?? null,
		electronicAddress: input.electronic_address ?? null,
		buyerReference: input.buyer_reference ?? null,
		preferredEinvoiceFormat: input.preferred_einvoice_format ?? null,
		currency: input.currency ?? defaults?.currency ?? "USD",
		paymentTerms: input.payment_terms ?? defaults?.paymentTerms ?? "net30",
		taxStatus: input.tax_status ?? "taxable",
		taxExemptionReason: input.tax_exemption_reason ?? null,
		taxExemptionReasonCode: input.tax_exemption_reason_code ?? null,
		accountCode: input.account_code ?? null,
		segment: input.segment ?? null,
		testClockId: input.test_clock_id ?? null,
		externalId: input.external_id ?? null,
		phone: input.phone ?? null,
		dunningRuleId: input.dunning_rule_id ?? null,
		servicesHeldAt: null,
		status: "active",
		metadata: input.metadata ?? {},
		version: 1,
		createdAt: now,
		updatedAt: now,
		deletedAt: null,
	};
	requireLeitwegId(row);
	requireBuyerProfile(row);
	return row;
}
