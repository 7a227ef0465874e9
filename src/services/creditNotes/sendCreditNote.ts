import type { ServiceContext } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { presentDocumentDeliveries } from "../../schemas/delivery";
import { deliveriesOf } from "../deliveries/emailDeliveries";
import { sendDocument } from "../deliveries/sendDocument";
import { loadCreditNote } from "./creditNotes";

/** Emails an issued credit note with its PDF: once per Idempotency-Key, retried on the jobs queue. */
export async function sendCreditNote({
	ctx,
	id,
	...send
}: {
	ctx: ServiceContext;
	id: string;
	to?: string;
	templateId?: string;
	requestKey: string | null;
}) {
	const { row } = await loadCreditNote(ctx, id);
	if (row.status === "voided") {
		throw new AppError("invalid_state", `Credit note ${id} is voided: it is no longer sent.`, {
			extensions: { current_status: row.status },
		});
	}
	await sendDocument({ ctx, documentId: id, customerId: row.customerId, kind: "credit_note", ...send });
	return presentDocumentDeliveries(id, await deliveriesOf(ctx, id));
}
