import type { customers } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { customerRowQuery } from "../customers/loadCustomer";
import { type InvoiceTaxSetup, invoiceTaxSetupFrom, taxSetupQueries } from "../tax/tenantTaxSetup";

/** Who an invoice is for and how the tenant taxes it: what building a draft reads. */
export type InvoicedAccount = { customer: typeof customers.$inferSelect; taxSetup: InvoiceTaxSetup | null };

/** The customer and the tenant's tax setup in one round trip; null when there is no such customer. */
export async function readInvoicedAccount(ctx: ServiceContext, customerId: string): Promise<InvoicedAccount | null> {
	const [[customer], ...taxRows] = await ctx.db.batch([customerRowQuery(ctx, customerId), ...taxSetupQueries(ctx)]);
	return customer ? { customer, taxSetup: invoiceTaxSetupFrom(taxRows) } : null;
}

/** `readInvoicedAccount`, answering 404 for an unknown customer. */
export async function loadInvoicedAccount(ctx: ServiceContext, customerId: string): Promise<InvoicedAccount> {
	const account = await readInvoicedAccount(ctx, customerId);
	if (!account) throw notFound("customer", customerId);
	return account;
}
