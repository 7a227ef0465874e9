// What an account object remembers between its operations: the reads a payment or a new invoice starts
// with (the customer, the tenant's issuing settings and chart, the open invoices), so that the next
// operation of the account commits in one round trip instead of two. A remembered state is only ever
// used together with its check (`unchangedSince`), which the commit batch runs first: if anything it
// rests on changed meanwhile, whoever changed it, the database refuses the whole batch and the object
// reads again (`fromMemoryOr`). Money stays as correct as the database's own constraints make it. A
// payment remembers the state its batch leaves as soon as it hands the batch over, so the next payment is
// prepared on it while it commits (operationQueue.ts); if that batch is refused, the next one's check
// refuses it too wherever it rests on what did not come to be.
import { type SQL, sql } from "drizzle-orm";
import { preparedStatement } from "../../src/db/client";
import type { customers } from "../../src/db/schema";
import { type Allocation, applyAllocations } from "../../src/domain/allocation";
import type { ServiceContext } from "../../src/lib/context";
import { refusalOf } from "../../src/lib/dbErrors";
import { AppError } from "../../src/lib/errors";
import { customerRowQuery } from "../../src/services/customers/loadCustomer";
import { issuingQueries } from "../../src/services/invoices/invoiceStatements";
import { type Chart, chartOf } from "../../src/services/ledger/chart";
import type { OpenReceivable } from "../../src/services/payments/openInvoices";
import { type InvoiceTaxSetup, invoiceTaxSetupFrom, taxSetupQueries } from "../../src/services/tax/tenantTaxSetup";
import { RefusedWithGroup } from "./operationQueue";

type CustomerRow = typeof customers.$inferSelect;

export type AccountState = {
	customer: CustomerRow;
	/** `tenants.settings_version` when the settings below were read. */
	settingsVersion: number;
	/** The tenant's invoice number format as stored (`issuingWith` parses it). */
	numberFormat: string | undefined;
	chart: Chart;
	/** The tenant's tax setup and own rates (changing either moves settings_version too). */
	taxSetup: InvoiceTaxSetup | null;
	/** The customer's open invoices by currency, in due order, once a payment in that currency read them. */
	open: Map<string, OpenReceivable[]>;
};

/** Held by the account object; its operations read and change it as they are prepared, one at a time. */
export class AccountMemory {
	state: AccountState | undefined;

	forget() {
		this.state = undefined;
	}
}

/** The reads a state is made of, for a caller's batch (then `stateFrom` on their results). */
export const stateQueries = (ctx: ServiceContext, customerId: string) =>
	[customerRowQuery(ctx, customerId), ...taxSetupQueries(ctx), ...issuingQueries(ctx)] as const;

/** The state read by `stateQueries`; null when there is no such customer. */
export function stateFrom([[customer], taxRow, rateRows, [tenant], ...chart]: readonly [
	CustomerRow[],
	...Parameters<typeof invoiceTaxSetupFrom>[0],
	{ format: string; settingsVersion: number }[],
	...Parameters<typeof chartOf>[0],
]): AccountState | null {
	if (!customer) return null;
	return {
		customer,
		settingsVersion: tenant?.settingsVersion ?? 0,
		numberFormat: tenant?.format,
		chart: chartOf(chart),
		taxSetup: invoiceTaxSetupFrom([taxRow, rateRows]),
		open: new Map(),
	};
}

/**
 * The open invoices a payment rests on: the first of the remembered ones in `currency`, in due order, as
 * far as the payment reaches (`bounded`); or all of them, when it leaves money unapplied because there
 * are no more (not `bounded`).
 */
export type OpenInvoicesRead = { currency: string; invoices: readonly OpenReceivable[]; bounded: boolean };

/**
 * The batch's first statement when it commits from a remembered state: refused (account_state_changed)
 * unless the customer, the tenant's settings and, with `open`, the count and sum of the customer's open
 * invoices in that range (from invoices_open_by_customer alone) are as remembered. Count and sum miss
 * only a swap of equal amounts made outside the object; the allocation triggers and the balance CHECK
 * still refuse money on a closed invoice or beyond a balance.
 */
export function unchangedSince(ctx: ServiceContext, state: AccountState, open?: OpenInvoicesRead) {
	const { customer } = state;
	const account = { tenantId: ctx.tenantId, customerId: customer.id };
	const expected = `${customer.version}/${state.settingsVersion}`;
	if (!open) return accountChecked(ctx.db, { ...account, expected });
	const last = open.bounded ? open.invoices.at(-1) : undefined;
	const sum = open.invoices.reduce((total, invoice) => total + invoice.balance, 0);
	const withOpen = { ...account, currency: open.currency, expected: `${expected}/${open.invoices.length}/${sum}` };
	return last
		? openThroughChecked(ctx.db, { ...withOpen, due: last.dueDate ?? "9999-12-31", lastId: last.id })
		: allOpenChecked(ctx.db, withOpen);
}

// The checks' three shapes, prepared once: the account alone, with all its open invoices in a currency,
// or with those due up to the last one a payment reached.
const value = (name: string) => sql.placeholder(name);
const accountNow = sql`(select version from customers where tenant_id = ${value("tenantId")} and id = ${value("customerId")})
	|| '/' || (select settings_version from tenants where id = ${value("tenantId")})`;
const openNow = (through: SQL) => sql`(select count(*) || '/' || coalesce(sum(balance), 0) from invoices
	where tenant_id = ${value("tenantId")} and customer_id = ${value("customerId")} and currency = ${value("currency")}
	and status in ('issued', 'partially_paid') and balance > 0 ${through})`;
const checked = (actual: SQL) =>
	preparedStatement(sql`insert into account_state_checks (expected, actual) values (${value("expected")}, ${actual})`);
const accountChecked = checked(accountNow);
const allOpenChecked = checked(sql`${accountNow} || '/' || ${openNow(sql``)}`);
// Not a row value: SQLite ranges over the index's due-date expression only when it is written out.
const openThroughChecked = checked(
	sql`${accountNow} || '/' || ${openNow(
		sql`and coalesce(due_date, '9999-12-31') <= ${value("due")} and (coalesce(due_date, '9999-12-31') < ${value("due")} or id <= ${value("lastId")})`,
	)}`,
);

/**
 * `fromMemory` on the remembered state, if there is one `usable` for the operation; if there is none,
 * or the operation is refused in a way a fresh read may cure (its check, a key or request id another
 * commit took, a business rule applied to what was remembered, a group refused for any of its
 * operations), the state is forgotten and `afresh` reads and commits instead. Any other failure is the
 * operation's own: retrying it could commit twice.
 */
export async function fromMemoryOr<T>(
	memory: AccountMemory,
	fromMemory: (state: AccountState) => Promise<T>,
	afresh: () => Promise<T>,
	usable: (state: AccountState) => boolean = () => true,
): Promise<T> {
	const state = memory.state;
	if (state && usable(state)) {
		try {
			return await fromMemory(state);
		} catch (error) {
			memory.forget();
			const reason = refusalOf(error);
			const cured =
				error instanceof AppError ||
				error instanceof RefusedWithGroup ||
				reason === "state_changed" ||
				reason === "key_taken" ||
				reason === "duplicate";
			if (!cured) throw error;
		}
	}
	return afresh();
}

/** The state after a payment's allocations. */
export function afterAllocations(state: AccountState, currency: string, allocations: readonly Allocation[]) {
	const open = state.open.get(currency);
	if (open) state.open.set(currency, applyAllocations(open, allocations));
}
