import { callAccount } from "../../../durable-objects/account/client";
import type { ServiceContext } from "../../lib/context";
import { loadInvoiceRow } from "./loadInvoice";

export async function voidInvoice({ ctx, id, reason }: { ctx: ServiceContext; id: string; reason: string | null }) {
	const { customerId } = await loadInvoiceRow(ctx, id);
	return callAccount(ctx, customerId, "voidInvoice", { invoiceId: id, reason });
}
