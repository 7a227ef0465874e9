import type { ServiceContext } from "../../lib/context";
import { presentDocumentDeliveries } from "../../schemas/delivery";
import { deliverDocument, deliveriesOf } from "../deliveries/deliverDocument";
import { loadStatement } from "./statements";

/** Emails a statement of account with its PDF: once per Idempotency-Key, retried on the jobs queue. */
export async function sendStatement({
	ctx,
	id,
	to,
	templateId,
	requestKey,
}: {
	ctx: ServiceContext;
	id: string;
	to?: string;
	templateId?: string;
	requestKey: string | null;
}) {
	const statement = await loadStatement(ctx, id);
	await deliverDocument({
		ctx,
		documentId: id,
		customerId: statement.customerId,
		kind: "statement",
		channels: ["email"],
		to,
		templateId,
		requestKey,
		change: (recorded) => ({
			action: "statement.sent",
			target: { type: "statement", id },
			before: null,
			after: presentDocumentDeliveries(id, recorded),
		}),
	});
	return presentDocumentDeliveries(id, await deliveriesOf(ctx, id));
}
