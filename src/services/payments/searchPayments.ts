import { and, asc, desc, eq, gte, inArray, lte, type SQL, sql } from "drizzle-orm";
import { customers, invoices, payments } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";

type PaymentRow = typeof payments.$inferSelect;

/** The invoice a payment was recorded for, when it was recorded for one (kept in its metadata). */
export const PAYMENT_INVOICE_KEY = "invoice_id";

export type PaymentSearch = {
	ids?: readonly string[];
	invoiceId?: string;
	customerId?: string;
	methods?: readonly PaymentRow["paymentMethod"][];
	/** Fully refunded or not. */
	refunded?: boolean;
	paidFrom?: string;
	paidTo?: string;
	sort: { by: "paid_at" | "amount" | "created_at"; direction: "asc" | "desc" };
	offset: number;
	limit: number;
};

const sortColumns = { paid_at: payments.paidAt, amount: payments.amount, created_at: payments.createdAt };

/** A page of the tenant's payments by offset, each with its customer's name and its invoice's number; and how many match. */
export async function searchPayments({ ctx, query }: { ctx: ServiceContext; query: PaymentSearch }) {
	const invoiceOfPayment = sql`json_extract(${payments.metadata}, ${`$.${PAYMENT_INVOICE_KEY}`})`;
	const conditions: (SQL | undefined)[] = [
		eq(payments.tenantId, ctx.tenantId),
		query.ids ? inArray(payments.id, query.ids.length > 0 ? [...query.ids] : [""]) : undefined,
		query.invoiceId ? sql`${invoiceOfPayment} = ${query.invoiceId}` : undefined,
		query.customerId ? eq(payments.customerId, query.customerId) : undefined,
		query.methods ? inArray(payments.paymentMethod, [...query.methods]) : undefined,
		query.refunded === undefined
			? undefined
			: query.refunded
				? sql`${payments.amountRefunded} = ${payments.amount}`
				: sql`${payments.amountRefunded} < ${payments.amount}`,
		query.paidFrom ? gte(payments.paidAt, query.paidFrom) : undefined,
		query.paidTo ? lte(sql`substr(${payments.paidAt}, 1, 10)`, query.paidTo) : undefined,
	];
	const where = and(...conditions);
	const order = query.sort.direction === "asc" ? asc : desc;
	const [rows, [count]] = await ctx.db.batch([
		ctx.db
			.select({ payment: payments, customerName: customers.name, invoiceNumber: invoices.number })
			.from(payments)
			.innerJoin(customers, and(eq(customers.tenantId, payments.tenantId), eq(customers.id, payments.customerId)))
			.leftJoin(invoices, and(eq(invoices.tenantId, payments.tenantId), sql`${invoices.id} = ${invoiceOfPayment}`))
			.where(where)
			.orderBy(order(sortColumns[query.sort.by]), order(payments.id))
			.limit(query.limit)
			.offset(query.offset),
		ctx.db.select({ total: sql<number>`count(*)` }).from(payments).where(where),
	]);
	return { content: rows, total: count?.total ?? 0 };
}
