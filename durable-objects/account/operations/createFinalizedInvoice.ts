import type { BatchItem } from "drizzle-orm/batch";
import type { ServiceContext } from "../../../src/lib/context";
import { keyInUse, keyTaken } from "../../../src/lib/idempotency";
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
import type { Turn } from "../operationQueue";
import { commitNewInvoice } from "./newInvoice";

/**
 * Inside the account object. When the object remembers the account (the customer, the tenant's number
 * format and chart), the invoice is handed over to commit with whatever else is handed over meanwhile,
 * checked against what it remembers, and the next operation comes in at once (`turn`); the database
 * numbers each invoice of a group in turn. Otherwise, or when that check or the key refuses it, it waits
 * until nothing is left to commit; whether the request's Idempotency-Key is taken, the customer and what
 * issuing reads go in one round trip, and the commit in one more. The invoice is what the request answers
 * with: the batch stores the answer to the request's key.
 */
export async function commitCreateFinalizedInvoice(
	ctx: ServiceContext,
	{ input, sourceRef }: AccountInputs["createFinalizedInvoice"],
	memory: AccountMemory,
	turn: Turn,
): Promise<InvoiceResource> {
	const { customer_id, finalize, ...fields } = input;
	const issue = async (state: AccountState, check?: BatchItem<"sqlite">, send?: Turn["commit"]) => {
		const detail = buildDraft(ctx, state.customer, fields, { setup: state.taxSetup }, { sourceRef });
		const issuing = issuingWith(state.numberFormat, state.chart);
		const invoice = await commitNewInvoice(ctx, { detail, finalize: true, answersRequest: true, check, send }, issuing);
		// The customer owes one more invoice: the next payment reads the open ones again.
		state.open.clear();
		memory.state = state;
		return invoice;
	};
	return fromMemoryOr(
		memory,
		(state) => issue(state, unchangedSince(ctx, state), turn.commit),
		() =>
			turn.afresh(async () => {
				const [keyHeld, ...stateRows] = await ctx.db.batch([
					keyInUse(ctx.db, ctx.requestKey),
					...stateQueries(ctx, customer_id),
				]);
				if (keyHeld[0]) throw keyTaken();
				return issue(stateFrom(stateRows) ?? missingCustomer(customer_id));
			}),
	);
}
