import { callAccount } from "../../../durable-objects/account/client";
import type { ServiceContext } from "../../lib/context";
import { loadInvoiceRow } from "./loadInvoice";

export async function finalizeInvoice({ ctx, id }: { ctx: ServiceContext; id: string }) {
	const { customerId } = await loadInvoiceRow(ctx, id);
	return callAccount(ctx, customerId, "finalizeInvoice", { invoiceId: id });
}
