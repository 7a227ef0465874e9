import { formatDate, formatMoney } from "../../documents/format";
import type { ServiceContext } from "../../lib/context";
import type { DunningAttemptRow } from "../../schemas/dunning";
import { loadCustomer } from "../customers/loadCustomer";
import { loadTenantRow, localeOf, sellerOf } from "../documents/parties";
import { loadInvoiceRow } from "../invoices/loadInvoice";
import { tenantSmsAccount } from "../sms/tenantSms";
import { SmsError, sendSms } from "../sms/twilioSms";

/** The payment reminder a dunning `sms` step texts to the invoice's customer. */
export async function sendDunningSms(ctx: ServiceContext, attempt: DunningAttemptRow) {
	const [invoice, customer, tenant] = await Promise.all([
		loadInvoiceRow(ctx, attempt.invoiceId),
		loadCustomer(ctx, attempt.customerId),
		loadTenantRow(ctx),
	]);
	if (!customer.phone) throw new SmsError("the customer has no phone number");
	const account = await tenantSmsAccount(ctx);
	const locale = localeOf(tenant);
	const due = invoice.dueDate ? ` was due on ${formatDate(invoice.dueDate, locale)}` : " is due";
	const body =
		`${sellerOf(tenant).name}: invoice ${invoice.number ?? invoice.id} over ` +
		`${formatMoney(invoice.balance, invoice.currency, locale)}${due}. Please pay at your earliest convenience.`;
	return sendSms(account, { from: account.from, to: customer.phone, body });
}
