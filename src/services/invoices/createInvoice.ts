import { callAccount } from "../../../durable-objects/account/client";
import { commitNewInvoice } from "../../../durable-objects/account/operations/newInvoice";
import { todayOf } from "../../lib/clock";
import type { ServiceContext } from "../../lib/context";
import { fieldInvalid } from "../../lib/errors";
import type { InvoiceCreateInput } from "../../schemas/invoice";
import { presentInvoice } from "../../schemas/invoice";
import { buildDraft } from "./buildInvoice";
import { readInvoicedAccount } from "./invoicedAccount";
import { finalizeStatements } from "./invoiceStatements";

/** The customer to invoice and the tenant's tax setup, in one round trip. */
export async function invoicedCustomer(ctx: ServiceContext, customerId: string) {
	const account = (await readInvoicedAccount(ctx, customerId)) ?? missingCustomer(customerId);
	return { customer: account.customer, taxing: { setup: account.taxSetup } };
}

export const missingCustomer = (customerId: string) => {
	throw fieldInvalid("body", "customer_id", `no customer '${customerId}' exists`);
};

/**
 * Creates a draft, or with `finalize` creates and issues it in one batch inside the customer's account
 * object (issuing changes the receivable). `sourceRef` makes an import line land at most once. The
 * invoice is what the request answers with: its batch stores the answer to the request's Idempotency-Key.
 */
export async function createInvoice({
	ctx,
	input,
	sourceRef = null,
}: {
	ctx: ServiceContext;
	input: InvoiceCreateInput;
	sourceRef?: string | null;
}) {
	if (input.finalize) {
		// The account object reads the customer with what issuing needs: no round trip of its own here.
		return callAccount(ctx, input.customer_id, "createFinalizedInvoice", { input, sourceRef });
	}
	const { customer_id, finalize, ...fields } = input;
	const { customer, taxing } = await invoicedCustomer(ctx, customer_id);
	const detail = buildDraft(ctx, customer, fields, taxing, { sourceRef });
	return commitNewInvoice(ctx, { detail, finalize: false, answersRequest: true });
}

/** The same computation as creation, nothing persisted; `finalize` previews the issued figures. */
export async function previewInvoice({ ctx, input }: { ctx: ServiceContext; input: InvoiceCreateInput }) {
	const { customer_id, finalize, ...fields } = input;
	const { customer, taxing } = await invoicedCustomer(ctx, customer_id);
	const detail = buildDraft(ctx, customer, fields, taxing);
	const today = todayOf(ctx.clock.now());
	if (!finalize) return presentInvoice(detail, today, true);
	const { after } = await finalizeStatements(ctx, detail);
	return presentInvoice({ ...detail, invoice: after }, today, true);
}
