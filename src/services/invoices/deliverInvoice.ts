import { todayOf } from "../../lib/clock";
import type { ServiceContext } from "../../lib/context";
import { type DeliveryChannel, presentDelivery } from "../../schemas/delivery";
import { presentInvoice } from "../../schemas/invoice";
import { loadCustomer } from "../customers/loadCustomer";
import { deliverDocument } from "../deliveries/deliverDocument";
import { ensureEInvoice } from "../einvoices/einvoiceFiles";
import { requireTransition } from "./invoiceErrors";
import { loadInvoiceDetail, loadInvoiceRow } from "./loadInvoice";

/**
 * Delivers an invoice (or a payment reminder) on each channel: one delivery per (invoice, kind,
 * channel, Idempotency-Key), recorded with an `invoice.sent` / `invoice.reminder_sent` event. Email
 * is attempted at once with the invoice's PDF (and the customer's preferred e-invoice) attached; what fails
 * for now is retried by the queue.
 */
export async function deliverInvoice({
	ctx,
	id,
	kind,
	channels,
	to,
	templateId,
	requestKey,
}: {
	ctx: ServiceContext;
	id: string;
	kind: "invoice" | "reminder";
	channels: DeliveryChannel[];
	to?: string;
	templateId?: string;
	requestKey: string | null;
}) {
	const invoice = await loadInvoiceRow(ctx, id);
	requireTransition(invoice, kind === "invoice" ? "send" : "remind");
	// The preferred e-invoice goes with the email: one the invoice's data cannot make is refused now, with its rule.
	const { preferredEinvoiceFormat } = await loadCustomer(ctx, invoice.customerId);
	if (preferredEinvoiceFormat && channels.includes("email")) {
		await ensureEInvoice(ctx, "invoice", id, preferredEinvoiceFormat, { location: "body", field: "channels" });
	}
	await deliverDocument({
		ctx,
		documentId: id,
		customerId: invoice.customerId,
		kind,
		channels,
		to,
		templateId,
		requestKey,
		change: (recorded) => ({
			action: kind === "invoice" ? "invoice.sent" : "invoice.reminder_sent",
			target: { type: "invoice", id },
			before: null,
			after: { invoice_id: id, deliveries: recorded.map(presentDelivery) },
		}),
	});
	return presentInvoice(await loadInvoiceDetail(ctx, id), todayOf(ctx.clock.now()));
}
