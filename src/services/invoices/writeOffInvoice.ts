import { callAccount } from "../../../durable-objects/account/client";
import type { ServiceContext } from "../../lib/context";
import { loadInvoiceRow } from "./loadInvoice";

export async function writeOffInvoice({ ctx, id, reason }: { ctx: ServiceContext; id: string; reason: string }) {
	const { customerId } = await loadInvoiceRow(ctx, id);
	return callAccount(ctx, customerId, "writeOffInvoice", {
		invoiceId: id,
		reason,
	});
}
