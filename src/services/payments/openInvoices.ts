import { and, eq, sql } from "drizzle-orm";
import { preparedQuery } from "../../db/client";
import { invoices } from "../../db/schema";
import type { OpenInvoice } from "../../domain/allocation";
import type { ServiceContext } from "../../lib/context";
import { AppError, fieldInvalid } from "../../lib/errors";
import type { InvoiceRow } from "../../schemas/invoice";
import { loadInvoiceRow } from "../invoices/loadInvoice";

/** An open invoice as a payment needs it: what it owes, in which order, at which rate it was booked. */
export type OpenReceivable = OpenInvoice & { fxRate: string | null };

const openOfCustomer = preparedQuery((db) =>
	db
		.select({ id: invoices.id, dueDate: invoices.dueDate, balance: invoices.balance, fxRate: invoices.fxRate })
		.from(invoices)
		.where(
			and(
				eq(invoices.tenantId, sql.placeholder("tenantId")),
				eq(invoices.customerId, sql.placeholder("customerId")),
				eq(invoices.currency, sql.placeholder("currency")),
				// Literals, not bound values: they must match invoices_open_by_customer's own condition.
				sql`${invoices.status} in ('issued', 'partially_paid') and ${invoices.balance} > 0`,
			),
		),
);

/** The customer's open invoices in `currency`, in no set order (callers sort them by `dueOrder`). */
export const openInvoicesQuery = (ctx: ServiceContext, customerId: string, currency: string) =>
	openOfCustomer(ctx.db, { tenantId: ctx.tenantId, customerId, currency });

/** An invoice money can be applied to: the customer's own, open, in the same currency. */
export async function payableInvoice(
	ctx: ServiceContext,
	invoiceId: string,
	customerId: string,
	currency: string,
	field: string,
): Promise<InvoiceRow> {
	const invoice = await loadInvoiceRow(ctx, invoiceId).catch(() => null);
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
