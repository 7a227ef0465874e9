import { callAccount } from "../../../durable-objects/account/client";
import type { ServiceContext } from "../../lib/context";
import { loadInvoiceRow } from "./loadInvoice";

export async function deleteInvoice({ ctx, id }: { ctx: ServiceContext; id: string }) {
	const { customerId } = await loadInvoiceRow(ctx, id);
	await callAccount(ctx, customerId, "deleteInvoice", { invoiceId: id });
}
