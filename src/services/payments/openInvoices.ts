import { and, eq, sql } from "drizzle-orm";
import { preparedQuery } from "../../db/client";
import { invoices } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { AppError, fieldInvalid } from "../../lib/errors";
import type { InvoiceRow } from "../invoices/loadInvoice";
import { loadInvoiceRow } from "../invoices/loadInvoice";

/**
 * The customer's open invoices in `currency` that a payment of `amount` reaches, oldest due first (the
 * order of `allocateOldestDueFirst`): those owing less than `amount` before them. A busy account can
 * have hundreds open, and a payment touches the first few.
 */
const openInvoicesReached = preparedQuery((db) => {
	const open = db
		.select({
			id: invoices.id,
			dueDate: invoices.dueDate,
			balance: invoices.balance,
			fxRate: invoices.fxRate,
			owedBefore:
				sql<number>`sum(${invoices.balance}) over (order by coalesce(${invoices.dueDate}, '9999-12-31'), ${invoices.id} rows unbounded preceding) - ${invoices.balance}`.as(
					"owed_before",
				),
		})
		.from(invoices)
		.where(
			and(
				eq(invoices.tenantId, sql.placeholder("tenantId")),
				eq(invoices.customerId, sql.placeholder("customerId")),
				eq(invoices.currency, sql.placeholder("currency")),
				// Literals, not bound values: they must match invoices_open_by_customer's own condition.
				sql`${invoices.status} in ('issued', 'partially_paid') and ${invoices.balance} > 0`,
			),
		)
		.as("open");
	return db
		.select({ id: open.id, dueDate: open.dueDate, balance: open.balance, fxRate: open.fxRate })
		.from(open)
		.where(sql`${open.owedBefore} < ${sql.placeholder("amount")}`);
});

/** The open invoices a payment of `amount` is applied to, oldest due first. */
export const openInvoicesReachedBy = (ctx: ServiceContext, customerId: string, currency: string, amount: number) =>
	openInvoicesReached(ctx.db, { tenantId: ctx.tenantId, customerId, currency, amount });

/** An invoice money can be applied to: the customer's own, open, in the same currency. */
export async function payableInvoice(
	ctx: ServiceContext,
	invoiceId: string,
	customerId: string,
	currency: string,
	field: string,
): Promise<InvoiceRow> {
	return checkPayable(await loadInvoiceRow(ctx, invoiceId).catch(() => null), invoiceId, customerId, currency, field);
}

/** `payableInvoice` on an invoice read already (undefined when there is none). */
export function checkPayable(
	invoice: InvoiceRow | null | undefined,
	invoiceId: string,
	customerId: string,
	currency: string,
	field: string,
): InvoiceRow {
	if (!invoice || invoice.customerId !== customerId) {
		throw fieldInvalid("body", field, `no invoice '${invoiceId}' of this customer exists`);
	}
	if (invoice.currency !== currency) {
		throw fieldInvalid("body", field, `invoice ${invoiceId} is in ${invoice.currency}, not ${currency}`);
	}
	if (invoice.status !== "issued" && invoice.status !== "partially_paid") {
		throw new AppError("invalid_state", `Invoice ${invoiceId} is ${invoice.status}: nothing can be applied to it.`, {
			extensions: { current_status: invoice.status, invoice_id: invoiceId },
		});
	}
	return invoice;
}
