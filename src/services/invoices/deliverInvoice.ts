import { EmailMessage } from "cloudflare:email";
import { runBatch } from "../../db/client";
import { invoiceDeliveries } from "../../db/schema";
import { formatMinorUnits } from "../../domain/currency";
import type { Env } from "../../env";
import type { ServiceContext } from "../../lib/context";
import { newId } from "../../lib/ids";
import { changeStatements } from "../changeLog";
import { loadCustomer } from "../customers/loadCustomer";
import { requireTransition } from "./invoiceErrors";
import { type InvoiceDeliveryRow, type InvoiceRow, loadInvoiceDetail } from "./loadInvoice";
import { presentInvoice, todayOf } from "./presentInvoice";

type Channel = InvoiceDeliveryRow["channel"];
type Kind = InvoiceDeliveryRow["kind"];
type Outcome = { status: "sent" | "undeliverable"; recipient: string | null; reason: string | null };

const undeliverable = (recipient: string | null, reason: string): Outcome => ({
	status: "undeliverable",
	recipient,
	reason,
});

function emailText(kind: Kind, invoice: InvoiceRow): { subject: string; body: string } {
	const amount = `${formatMinorUnits(invoice.balance, invoice.currency)} ${invoice.currency}`;
	return kind === "invoice"
		? {
				subject: `Invoice ${invoice.number}`,
				body: `Invoice ${invoice.number} for ${amount} is due on ${invoice.dueDate}.`,
			}
		: {
				subject: `Payment reminder: invoice ${invoice.number}`,
				body: `This is a reminder that ${amount} on invoice ${invoice.number} was due on ${invoice.dueDate}.`,
			};
}

/** Sends through Cloudflare's `send_email` binding when the deployment has one and a sender address. */
async function sendEmail(env: Env, kind: Kind, invoice: InvoiceRow, to: string | null): Promise<Outcome> {
	if (!to) return undeliverable(null, "the customer has no email address and none was given");
	if (!env.EMAIL || !env.EMAIL_FROM) {
		return undeliverable(to, "email is not configured for this deployment (no send_email binding or EMAIL_FROM)");
	}
	const { subject, body } = emailText(kind, invoice);
	const raw = [
		`From: ${env.EMAIL_FROM}`,
		`To: ${to}`,
		`Subject: ${subject}`,
		`Message-ID: <${newId("delivery")}@${env.EMAIL_FROM.split("@")[1] ?? "localhost"}>`,
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=utf-8",
		"",
		body,
	].join("\r\n");
	try {
		await env.EMAIL.send(new EmailMessage(env.EMAIL_FROM, to, raw));
		return { status: "sent", recipient: to, reason: null };
	} catch (error) {
		return undeliverable(to, `the email service refused the message: ${(error as Error).message}`);
	}
}

async function deliver(ctx: ServiceContext, channel: Channel, kind: Kind, invoice: InvoiceRow, to: string | null) {
	switch (channel) {
		case "email":
			return sendEmail(ctx.env, kind, invoice, to);
		case "erp":
			return undeliverable(null, "no ERP connector is configured for this tenant");
		case "sftp":
			return undeliverable(null, "no SFTP connector is configured for this tenant");
	}
}

/**
 * Delivers an invoice (or a payment reminder) on each channel and records every attempt, delivered or
 * not, with an `invoice.sent` / `invoice.reminder_sent` event, in one batch.
 */
export async function deliverInvoice({
	ctx,
	id,
	kind,
	channels,
	to,
}: {
	ctx: ServiceContext;
	id: string;
	kind: Kind;
	channels: Channel[];
	to?: string;
}) {
	const detail = await loadInvoiceDetail(ctx, id);
	requireTransition(detail.invoice, kind === "invoice" ? "send" : "remind");
	const customer = await loadCustomer(ctx, detail.invoice.customerId);
	const now = ctx.clock.now().toISOString();
	const rows: InvoiceDeliveryRow[] = [];
	for (const channel of new Set(channels)) {
		const outcome = await deliver(ctx, channel, kind, detail.invoice, to ?? customer.email);
		rows.push({
			id: newId("delivery"),
			tenantId: ctx.tenantId,
			invoiceId: id,
			kind,
			channel,
			createdAt: now,
			updatedAt: now,
			providerMessageId: null,
			attempts: 1,
			templateId: null,
			requestKey: null,
			...outcome,
		});
	}
	const today = todayOf(ctx.clock.now());
	const after = { ...detail, deliveries: [...detail.deliveries, ...rows] };
	await runBatch(ctx.db, [
		ctx.db.insert(invoiceDeliveries).values(rows),
		...changeStatements(ctx, {
			action: kind === "invoice" ? "invoice.sent" : "invoice.reminder_sent",
			target: { type: "invoice", id },
			before: null,
			after: { invoice_id: id, deliveries: presentInvoice(after, today).deliveries.slice(-rows.length) },
		}),
	]);
	return presentInvoice(after, today);
}
