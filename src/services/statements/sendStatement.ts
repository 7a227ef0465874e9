import type { ServiceContext } from "../../lib/context";
import { presentDocumentDeliveries } from "../../schemas/delivery";
import { deliveriesOf } from "../deliveries/emailDeliveries";
import { sendDocument } from "../deliveries/sendDocument";
import { loadStatement } from "./statements";

/** Emails a statement of account with its PDF: once per Idempotency-Key, retried on the jobs queue. */
export async function sendStatement({
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
	const statement = await loadStatement(ctx, id);
	await sendDocument({ ctx, documentId: id, customerId: statement.customerId, kind: "statement", ...send });
	return presentDocumentDeliveries(id, await deliveriesOf(ctx, id));
}
