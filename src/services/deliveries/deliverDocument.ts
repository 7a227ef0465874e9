import { and, asc, eq } from "drizzle-orm";
import { runBatch } from "../../db/client";
import { documentDeliveries } from "../../db/schema";
import { DEFAULT_TEMPLATES, renderMessage } from "../../domain/templates";
import type { ServiceContext } from "../../lib/context";
import { isUniqueViolation } from "../../lib/dbErrors";
import { fieldInvalid, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { DeliveryChannel, DeliveryKind, DeliveryRow } from "../../schemas/delivery";
import { type Change, changeStatements } from "../changeLog";
import { loadCustomer } from "../customers/loadCustomer";
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

const NO_CONNECTOR: Record<Exclude<DeliveryChannel, "email">, string> = {
	erp: "no ERP connector is configured for this tenant",
	sftp: "no SFTP connector is configured for this tenant",
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
	let outcome: AttemptOutcome<"sent">;
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

/**
 * Delivers a document on each channel: one delivery per (document, kind, channel, Idempotency-Key),
 * recorded with the change `change` describes. Email is attempted at once with the document's PDF
 * attached; what fails for now is retried by the queue.
 */
export async function deliverDocument({
	ctx,
	documentId,
	customerId,
	kind,
	channels,
	to,
	templateId,
	requestKey,
	change,
}: {
	ctx: ServiceContext;
	documentId: string;
	/** Whose document it is: email goes to the customer's address unless `to` names another. */
	customerId: string;
	kind: DeliveryKind;
	channels: readonly DeliveryChannel[];
	to?: string;
	templateId?: string;
	requestKey: string | null;
	change: (recorded: DeliveryRow[]) => Change;
}): Promise<void> {
	const recipient = to ?? (await loadCustomer(ctx, customerId)).email;
	const unique = [...new Set(channels)];
	if (unique.includes("email") && !recipient) {
		throw fieldInvalid("body", "to", "the customer has no email address; give one in `to`");
	}
	if (templateId) await chosenTemplate(ctx, kind, localeOf(await loadTenantRow(ctx)), templateId);
	const already = requestKey
		? (await deliveriesOf(ctx, documentId)).filter((d) => d.kind === kind && d.requestKey === requestKey)
		: [];
	const now = ctx.clock.now().toISOString();
	const rows: DeliveryRow[] = unique
		.filter((channel) => !already.some((d) => d.channel === channel))
		.map((channel) => ({
			id: newId("delivery"),
			tenantId: ctx.tenantId,
			documentId,
			kind,
			channel,
			status: channel === "email" ? "queued" : "undeliverable",
			recipient: channel === "email" ? recipient : null,
			reason: channel === "email" ? null : NO_CONNECTOR[channel],
			providerMessageId: null,
			attempts: 0,
			nextAttemptAt: channel === "email" ? now : null,
			attemptStartedAt: null,
			templateId: templateId ?? null,
			requestKey,
			createdAt: now,
			updatedAt: now,
		}));
	if (rows.length === 0) return;
	try {
		await runBatch(ctx.db, [ctx.db.insert(documentDeliveries).values(rows), ...changeStatements(ctx, change(rows))]);
	} catch (error) {
		// The same send, concurrently: its twin recorded the deliveries.
		if (isUniqueViolation(error)) return;
		throw error;
	}
	for (const row of rows) if (row.status === "queued") await attemptDelivery(ctx, row.id);
}
