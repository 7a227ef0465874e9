import { and, eq } from "drizzle-orm";
import { runBatch } from "../../db/client";
import { type EInvoiceFileFormat, invoiceDeliveries } from "../../db/schema";
import { formatDate, formatMoney } from "../../documents/format";
import { daysPastDue } from "../../domain/aging";
import { DEFAULT_TEMPLATES, renderMessage } from "../../domain/templates";
import { todayOf } from "../../lib/clock";
import type { ServiceContext } from "../../lib/context";
import { isUniqueViolation } from "../../lib/dbErrors";
import { fieldInvalid, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { type InvoiceDeliveryRow, presentInvoice } from "../../schemas/invoice";
import type { JobMessage } from "../../schemas/job";
import { changeStatements } from "../changeLog";
import { loadCustomer } from "../customers/loadCustomer";
import { ensureIssuedDocument } from "../documents/issuedDocuments";
import { loadTenantRow, localeOf, sellerOf } from "../documents/parties";
import type { DocumentRow } from "../documents/storedDocuments";
import { ensureEInvoice } from "../einvoices/einvoiceFiles";
import { type MailAttachment, MailError } from "../email/mail";
import { tenantTransport } from "../email/transport";
import { chosenTemplate } from "../templates/templates";
import { requireTransition } from "./invoiceErrors";
import { loadInvoiceDetail } from "./loadInvoice";

type Channel = InvoiceDeliveryRow["channel"];
type Kind = InvoiceDeliveryRow["kind"];

/** Attempts an email gets (the first inline, the rest on the jobs queue) before it counts as failed. */
export const MAX_EMAIL_ATTEMPTS = 5;
const retryDelaySeconds = (attempts: number) => Math.min(60 * 2 ** (attempts - 1), 3600);

const NO_CONNECTOR: Record<Exclude<Channel, "email">, string> = {
	erp: "no ERP connector is configured for this tenant",
	sftp: "no SFTP connector is configured for this tenant",
};

async function loadDelivery(ctx: ServiceContext, id: string) {
	const row = await ctx.db
		.select()
		.from(invoiceDeliveries)
		.where(and(eq(invoiceDeliveries.tenantId, ctx.tenantId), eq(invoiceDeliveries.id, id)))
		.get();
	if (!row) throw notFound("delivery", id);
	return row;
}

/** The email of a delivery: its template filled from the invoice, with the invoice's PDF attached. */
async function composeEmail(ctx: ServiceContext, delivery: InvoiceDeliveryRow, recipient: string) {
	const [detail, tenant] = await Promise.all([loadInvoiceDetail(ctx, delivery.invoiceId), loadTenantRow(ctx)]);
	const { invoice } = detail;
	const [customer, template, document] = await Promise.all([
		loadCustomer(ctx, invoice.customerId),
		chosenTemplate(ctx, delivery.kind, localeOf(tenant), delivery.templateId),
		ensureIssuedDocument(ctx, "invoice", invoice.id),
	]);
	const locale = localeOf(tenant);
	const money = (amount: number) => formatMoney(amount, invoice.currency, locale);
	const date = (value: string | null) => (value ? formatDate(value, locale) : "");
	const seller = sellerOf(tenant);
	const message = renderMessage(template ?? DEFAULT_TEMPLATES[delivery.kind], {
		"seller.name": seller.name,
		"customer.name": customer.name,
		"invoice.number": invoice.number ?? invoice.id,
		"invoice.issue_date": date(invoice.issueDate),
		"invoice.due_date": date(invoice.dueDate),
		"invoice.total": money(invoice.total),
		"invoice.balance": money(invoice.balance),
		"invoice.currency": invoice.currency,
		"invoice.pdf_url": `/v1/billing/invoices/${invoice.id}/pdf`,
		"invoice.days_overdue": String(
			invoice.dueDate ? Math.max(daysPastDue(invoice.dueDate, todayOf(ctx.clock.now())), 0) : 0,
		),
	});
	const from = tenant.legalProfile?.email_from ?? ctx.env.EMAIL_FROM;
	if (!from) throw new MailError("no sender address: set legal_profile.email_from in the settings", true);
	return {
		from,
		to: recipient,
		...message,
		attachments: await invoiceAttachments(
			ctx,
			invoice.number ?? invoice.id,
			document,
			customer.preferredEinvoiceFormat,
		),
	};
}

const storedBytes = async (ctx: ServiceContext, row: DocumentRow) => {
	const object = await ctx.env.FILES.get(row.r2Key);
	if (!object) throw new Error(`the stored document ${row.r2Key} is missing`);
	return new Uint8Array(await object.arrayBuffer());
};

/** The invoice PDF and the customer's preferred e-invoice; a Factur-X or ZUGFeRD file is that PDF itself,
 * with the XML inside, so it takes the plain PDF's place. */
async function invoiceAttachments(
	ctx: ServiceContext,
	number: string,
	pdf: DocumentRow,
	preferred: EInvoiceFileFormat | null,
): Promise<MailAttachment[]> {
	const einvoice = preferred ? await ensureEInvoice(ctx, "invoice", pdf.sourceId, preferred) : null;
	const hybrid = einvoice && einvoice.contentType === "application/pdf";
	const attachments: MailAttachment[] = [
		{
			filename: `${number}.pdf`,
			contentType: "application/pdf",
			bytes: await storedBytes(ctx, hybrid ? einvoice : pdf),
		},
	];
	if (einvoice && !hybrid) {
		attachments.push({
			filename: `${number}.${preferred}.xml`,
			contentType: einvoice.contentType,
			bytes: await storedBytes(ctx, einvoice),
		});
	}
	return attachments;
}

/**
 * One attempt at a queued email: sent, or queued again with backoff on the jobs queue, or failed for
 * good (a permanent refusal, or out of attempts). The row keeps the count, provider id and last error.
 */
export async function attemptDelivery(ctx: ServiceContext, deliveryId: string) {
	const delivery = await loadDelivery(ctx, deliveryId);
	if (delivery.status !== "queued" || !delivery.recipient) return delivery;
	const attempts = delivery.attempts + 1;
	const now = ctx.clock.now().toISOString();
	let outcome: Pick<InvoiceDeliveryRow, "status" | "reason" | "providerMessageId">;
	try {
		const mail = await composeEmail(ctx, delivery, delivery.recipient);
		const { providerMessageId } = await (await tenantTransport(ctx)).send(mail);
		outcome = { status: "sent", reason: null, providerMessageId };
	} catch (error) {
		if (!(error instanceof MailError)) throw error;
		const retry = !error.permanent && attempts < MAX_EMAIL_ATTEMPTS;
		outcome = { status: retry ? "queued" : "failed", reason: error.message, providerMessageId: null };
	}
	const updated = { ...delivery, ...outcome, attempts, updatedAt: now };
	await ctx.db
		.update(invoiceDeliveries)
		.set({
			status: updated.status,
			reason: updated.reason,
			providerMessageId: updated.providerMessageId,
			attempts,
			updatedAt: now,
		})
		.where(and(eq(invoiceDeliveries.tenantId, ctx.tenantId), eq(invoiceDeliveries.id, delivery.id)));
	if (updated.status === "queued") {
		const message: Extract<JobMessage, { kind: "deliver_email" }> = {
			v: 1,
			kind: "deliver_email",
			tenant_id: ctx.tenantId,
			delivery_id: delivery.id,
		};
		await ctx.env.JOBS.send(message, { delaySeconds: retryDelaySeconds(attempts) });
	}
	return updated;
}

/**
 * Delivers an invoice (or a payment reminder) on each channel: one delivery per (invoice, kind,
 * channel, Idempotency-Key), recorded with an `invoice.sent` / `invoice.reminder_sent` event. Email
 * is attempted at once with the invoice's PDF attached; what fails for now is retried by the queue.
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
	kind: Kind;
	channels: Channel[];
	to?: string;
	templateId?: string;
	requestKey: string | null;
}) {
	const detail = await loadInvoiceDetail(ctx, id);
	requireTransition(detail.invoice, kind === "invoice" ? "send" : "remind");
	const customer = await loadCustomer(ctx, detail.invoice.customerId);
	const recipient = to ?? customer.email;
	const unique = [...new Set(channels)];
	if (unique.includes("email") && !recipient) {
		throw fieldInvalid("body", "to", "the customer has no email address; give one in `to`");
	}
	if (templateId) await chosenTemplate(ctx, kind, localeOf(await loadTenantRow(ctx)), templateId);
	// The preferred e-invoice goes with the email: one the invoice's data cannot make is refused now, with its rule.
	if (kind === "invoice" && unique.includes("email") && customer.preferredEinvoiceFormat) {
		await ensureEInvoice(ctx, "invoice", id, customer.preferredEinvoiceFormat, { location: "body", field: "channels" });
	}
	const already = requestKey ? detail.deliveries.filter((d) => d.kind === kind && d.requestKey === requestKey) : [];
	const now = ctx.clock.now().toISOString();
	const rows: InvoiceDeliveryRow[] = unique
		.filter((channel) => !already.some((d) => d.channel === channel))
		.map((channel) => ({
			id: newId("delivery"),
			tenantId: ctx.tenantId,
			invoiceId: id,
			kind,
			channel,
			status: channel === "email" ? "queued" : "undeliverable",
			recipient: channel === "email" ? recipient : null,
			reason: channel === "email" ? null : NO_CONNECTOR[channel],
			providerMessageId: null,
			attempts: 0,
			templateId: templateId ?? null,
			requestKey,
			createdAt: now,
			updatedAt: now,
		}));
	if (rows.length > 0) {
		const today = todayOf(ctx.clock.now());
		try {
			await runBatch(ctx.db, [
				ctx.db.insert(invoiceDeliveries).values(rows),
				...changeStatements(ctx, {
					action: kind === "invoice" ? "invoice.sent" : "invoice.reminder_sent",
					target: { type: "invoice", id },
					before: null,
					after: {
						invoice_id: id,
						deliveries: presentInvoice({ ...detail, deliveries: rows }, today).deliveries,
					},
				}),
			]);
		} catch (error) {
			// The same send, concurrently: its twin recorded the deliveries.
			if (!isUniqueViolation(error)) throw error;
			rows.length = 0;
		}
		for (const row of rows) if (row.status === "queued") await attemptDelivery(ctx, row.id);
	}
	return presentInvoice(await loadInvoiceDetail(ctx, id), todayOf(ctx.clock.now()));
}
