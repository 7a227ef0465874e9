import type { BatchItem } from "drizzle-orm/batch";
import type { ServiceContext } from "../../../src/lib/context";
import { type Answered, KEY_TAKEN, keyInUse } from "../../../src/lib/idempotency";
import type { InvoiceResource } from "../../../src/schemas/invoice";
import { buildDraft } from "../../../src/services/invoices/buildInvoice";
import { missingCustomer } from "../../../src/services/invoices/createInvoice";
import { issuingWith } from "../../../src/services/invoices/invoiceStatements";
import type { AccountInputs } from "../contract";
import {
	type AccountMemory,
	type AccountState,
	fromMemoryOr,
	stateFrom,
	stateQueries,
	unchangedSince,
} from "../memory";
import { commitNewInvoice } from "./newInvoice";

/**
 * Inside the account object. When the object remembers the account (the customer, the tenant's number
 * format and chart), the invoice commits in one round trip, checked against what it remembers;
 * otherwise, or when that check or the key refuses it, whether the request's Idempotency-Key is taken,
 * the customer and what issuing reads go in one round trip, and the commit in one more.
 */
export async function commitCreateFinalizedInvoice(
	ctx: ServiceContext,
	{ input, sourceRef, key }: AccountInputs["createFinalizedInvoice"],
	memory: AccountMemory,
): Promise<Answered<InvoiceResource>> {
	const { customer_id, finalize, ...fields } = input;
	const issue = async (state: AccountState, check?: BatchItem<"sqlite">) => {
		const detail = buildDraft(ctx, state.customer, fields, { setup: state.taxSetup }, { sourceRef });
		const issuing = issuingWith(state.numberFormat, state.chart);
		const invoice = await commitNewInvoice(ctx, { detail, finalize: true, key, check }, issuing);
		// The customer owes one more invoice: the next payment reads the open ones again.
		state.open.clear();
		memory.state = state;
		return { value: invoice, keyAnswered: key !== undefined };
	};
	return fromMemoryOr(
		memory,
		(state) => issue(state, unchangedSince(ctx, state)),
		async () => {
			const [keyTaken, ...stateRows] = await ctx.db.batch([keyInUse(ctx.db, key), ...stateQueries(ctx, customer_id)]);
			if (keyTaken[0]) return KEY_TAKEN;
			return issue(stateFrom(stateRows) ?? missingCustomer(customer_id));
		},
	);
}
