// The one way a document leaves by email (or another channel): an invoice, its reminder, a credit note or a
// statement. What differs per kind is what its email says and attaches (letters.ts) and the change a send
// records; the records, their idempotency and the attempts are the same for all.
import { runBatch } from "../../db/client";
import { documentDeliveries } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { isUniqueViolation } from "../../lib/dbErrors";
import { fieldInvalid } from "../../lib/errors";
import { newId } from "../../lib/ids";
import {
	type DeliveryChannel,
	type DeliveryKind,
	type DeliveryRow,
	presentDelivery,
	presentDocumentDeliveries,
} from "../../schemas/delivery";
import { type Change, changeStatements } from "../changeLog";
import { loadCustomer } from "../customers/loadCustomer";
import type { IssuedKind } from "../documents/issuedDocuments";
import { loadTenantRow, localeOf } from "../documents/parties";
import { ensureEInvoice, type FormatField } from "../einvoices/einvoiceFiles";
import { chosenTemplate } from "../templates/templates";
import { attemptDelivery, deliveriesOf } from "./emailDeliveries";

const NO_CONNECTOR: Record<Exclude<DeliveryChannel, "email">, string> = {
	erp: "no ERP connector is configured for this tenant",
	sftp: "no SFTP connector is configured for this tenant",
};

type Recorded = (documentId: string, recorded: DeliveryRow[]) => unknown;

const sent =
	(action: string, type: string, after: Recorded) =>
	(id: string, recorded: DeliveryRow[]): Change => ({
		action,
		target: { type, id },
		before: null,
		after: after(id, recorded),
	});

const invoiceDeliveries: Recorded = (id, recorded) => ({ invoice_id: id, deliveries: recorded.map(presentDelivery) });

/** The change a send of each kind records (its audit row and event), from the deliveries it recorded. */
const SENT: Record<DeliveryKind, (documentId: string, recorded: DeliveryRow[]) => Change> = {
	invoice: sent("invoice.sent", "invoice", invoiceDeliveries),
	reminder: sent("invoice.reminder_sent", "invoice", invoiceDeliveries),
	credit_note: sent("credit_note.sent", "credit_note", presentDocumentDeliveries),
	statement: sent("statement.sent", "statement", presentDocumentDeliveries),
};

/**
 * The kinds whose email attaches the customer's preferred e-invoice: the document it is made from, and where
 * a refusal to send points when the document's data cannot make it.
 */
const EINVOICED: Partial<Record<DeliveryKind, { source: IssuedKind; at: FormatField }>> = {
	invoice: { source: "invoice", at: { location: "body", field: "channels" } },
	reminder: { source: "invoice", at: { location: "body", field: "channels" } },
	credit_note: { source: "credit_note", at: { location: "path", field: "id" } },
};

/**
 * Sends a document as `kind` on each channel: one delivery per (document, kind, channel, Idempotency-Key),
 * recorded with the kind's change. Email goes to the customer's address unless `to` names another, is
 * attempted at once with the kind's letter and files (an invoice's or credit note's with the e-invoice its
 * customer prefers), and what fails for now is retried on the jobs queue.
 */
export async function sendDocument({
	ctx,
	documentId,
	customerId,
	kind,
	channels = ["email"],
	to,
	templateId,
	requestKey,
}: {
	ctx: ServiceContext;
	documentId: string;
	/** Whose document it is. */
	customerId: string;
	kind: DeliveryKind;
	channels?: readonly DeliveryChannel[];
	to?: string;
	templateId?: string;
	requestKey: string | null;
}): Promise<void> {
	const customer = await loadCustomer(ctx, customerId);
	const recipient = to ?? customer.email;
	const unique = [...new Set(channels)];
	if (unique.includes("email") && !recipient) {
		throw fieldInvalid("body", "to", "the customer has no email address; give one in `to`");
	}
	// The preferred e-invoice goes with the email: one the document's data cannot make is refused now, with its rule.
	const einvoiced = EINVOICED[kind];
	if (einvoiced && customer.preferredEinvoiceFormat && unique.includes("email")) {
		await ensureEInvoice(ctx, einvoiced.source, documentId, customer.preferredEinvoiceFormat, einvoiced.at);
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
		await runBatch(ctx.db, [
			ctx.db.insert(documentDeliveries).values(rows),
			...changeStatements(ctx, SENT[kind](documentId, rows)),
		]);
	} catch (error) {
		// The same send, concurrently: its twin recorded the deliveries.
		if (isUniqueViolation(error)) return;
		throw error;
	}
	for (const row of rows) if (row.status === "queued") await attemptDelivery(ctx, row.id);
}
