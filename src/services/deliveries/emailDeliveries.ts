// Emails of documents, one attempt at a time: composed from the kind's letter and template, sent through the
// tenant's transport, and retried on the jobs queue (sendAttempts.ts) until sent or given up.
import { and, asc, eq } from "drizzle-orm";
import { documentDeliveries } from "../../db/schema";
import { DEFAULT_TEMPLATES, renderMessage } from "../../domain/templates";
import type { ServiceContext } from "../../lib/context";
import { notFound } from "../../lib/errors";
import type { DeliveryRow } from "../../schemas/delivery";
import { loadTenantRow, localeOf, sellerOf } from "../documents/parties";
import { MailError, type OutgoingMail } from "../email/mail";
import { tenantTransport } from "../email/transport";
import { chosenTemplate } from "../templates/templates";
import { LETTERS } from "./letters";
import { type AttemptOutcome, attemptFailure, claimAttempt, finishAttempt, type SendKind } from "./sendAttempts";

/** Email deliveries as sends: five attempts (the first inline, the rest on the jobs queue), from a minute apart. */
export const EMAILS: SendKind = {
	table: documentDeliveries,
	policy: { maxAttempts: 5, baseDelaySeconds: 60 },
	message: (tenantId, id) => ({ v: 1, kind: "deliver_email", tenant_id: tenantId, delivery_id: id }),
	failure: (reason) => ({ reason }),
};

async function loadDelivery(ctx: ServiceContext, id: string) {
	const row = await ctx.db
		.select()
		.from(documentDeliveries)
		.where(and(eq(documentDeliveries.tenantId, ctx.tenantId), eq(documentDeliveries.id, id)))
		.get();
	if (!row) throw notFound("delivery", id);
	return row;
}

/** Every delivery of a document, oldest first. */
export async function deliveriesOf(ctx: ServiceContext, documentId: string): Promise<DeliveryRow[]> {
	return ctx.db
		.select()
		.from(documentDeliveries)
		.where(and(eq(documentDeliveries.tenantId, ctx.tenantId), eq(documentDeliveries.documentId, documentId)))
		.orderBy(asc(documentDeliveries.id));
}

/** The email of a delivery: its template filled from the document, with the document's stored files attached. */
async function composeEmail(ctx: ServiceContext, delivery: DeliveryRow, recipient: string): Promise<OutgoingMail> {
	const tenant = await loadTenantRow(ctx);
	const locale = localeOf(tenant);
	const [letter, template] = await Promise.all([
		LETTERS[delivery.kind](ctx, locale, delivery.documentId),
		chosenTemplate(ctx, delivery.kind, locale, delivery.templateId),
	]);
	const message = renderMessage(template ?? DEFAULT_TEMPLATES[delivery.kind], {
		"seller.name": sellerOf(tenant).name,
		...letter.values,
	});
	const attachments = await Promise.all(
		letter.files.map(async ({ document, filename }) => {
			const stored = await ctx.env.FILES.get(document.r2Key);
			if (!stored) throw new Error(`the stored document ${document.r2Key} is missing`);
			return { filename, contentType: document.contentType, bytes: new Uint8Array(await stored.arrayBuffer()) };
		}),
	);
	const from = tenant.legalProfile?.email_from ?? ctx.env.EMAIL_FROM;
	if (!from) throw new MailError("no sender address: set legal_profile.email_from in the settings", true);
	return { key: delivery.id, from, to: recipient, ...message, attachments };
}

/**
 * One attempt at a queued email: sent, or queued again with backoff on the jobs queue, or failed for good (a
 * permanent refusal, or out of attempts). The row keeps the count, provider id and last error. Only a claimed
 * attempt sends, so a message delivered twice (or an inline attempt and the queue's) sends once; the message
 * goes out under the delivery's id, which the transports pass on for the provider to recognise a resend.
 */
export async function attemptDelivery(ctx: ServiceContext, deliveryId: string): Promise<void> {
	const delivery = await loadDelivery(ctx, deliveryId);
	if (delivery.status !== "queued" || !delivery.recipient) return;
	if (!(await claimAttempt(ctx, EMAILS, delivery))) return;
	const claimed = { id: delivery.id, attempts: delivery.attempts + 1 };
	let outcome: AttemptOutcome;
	try {
		const mail = await composeEmail(ctx, delivery, delivery.recipient);
		const { providerMessageId } = await (await tenantTransport(ctx)).send(mail);
		outcome = { status: "sent", fields: { reason: null, providerMessageId } };
	} catch (error) {
		if (!(error instanceof MailError)) {
			ctx.logger.error("email delivery attempt broke", { delivery_id: delivery.id, error: String(error) });
		}
		const failure =
			error instanceof MailError ? { permanent: error.permanent, message: error.message } : attemptFailure(error);
		outcome = {
			status: "failed",
			permanent: failure.permanent,
			fields: { reason: failure.message, providerMessageId: null },
		};
	}
	await finishAttempt(ctx, EMAILS, claimed, outcome);
}
