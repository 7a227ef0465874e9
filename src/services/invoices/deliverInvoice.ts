import { todayOf } from "../../lib/clock";
import type { ServiceContext } from "../../lib/context";
import type { DeliveryChannel } from "../../schemas/delivery";
import { presentInvoice } from "../../schemas/invoice";
import { sendDocument } from "../deliveries/sendDocument";
import { requireTransition } from "./invoiceErrors";
import { loadInvoiceDetail, loadInvoiceRow } from "./loadInvoice";

/**
 * Delivers an invoice (or a payment reminder) on each channel through `sendDocument`, recorded with an
 * `invoice.sent` / `invoice.reminder_sent` event. The email attaches the invoice's PDF and the customer's
 * preferred e-invoice, which is refused now, with its rule, when the invoice's data cannot make it.
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
	await sendDocument({
		ctx,
		documentId: id,
		customerId: invoice.customerId,
		kind,
		channels,
		to,
		templateId,
		requestKey,
	});
	return presentInvoice(await loadInvoiceDetail(ctx, id), todayOf(ctx.clock.now()));
}
