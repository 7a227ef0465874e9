import { and, asc, desc, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import { creditNotes, customers, invoices, payments } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";

type CustomerRow = typeof customers.$inferSelect;

/** What a customer owes (open invoice balances) and holds (unapplied payments, unused credit notes) in its currency. */
export type CustomerStanding = CustomerRow & { outstanding: number; credit: number };

/**
 * The outer customer row, named in full: in a single-table select drizzle leaves columns unqualified,
 * and inside the subqueries below an unqualified name would mean the subquery's own table.
 */
const outer = {
	tenantId: sql.raw('"customers"."tenant_id"'),
	id: sql.raw('"customers"."id"'),
	currency: sql.raw('"customers"."currency"'),
};

const outstanding = sql<number>`(select coalesce(sum(${invoices.balance}), 0) from ${invoices}
	where ${invoices.tenantId} = ${outer.tenantId} and ${invoices.customerId} = ${outer.id}
	and ${invoices.currency} = ${outer.currency}
	and ${invoices.status} in ('issued', 'partially_paid') and ${invoices.balance} > 0)`;

const credit = sql<number>`((select coalesce(sum(${payments.amount} - ${payments.amountAllocated} - ${payments.amountRefunded} - ${payments.amountReversed}), 0)
	from ${payments} where ${payments.tenantId} = ${outer.tenantId} and ${payments.customerId} = ${outer.id}
	and ${payments.currency} = ${outer.currency})
	+ (select coalesce(sum(${creditNotes.amount} - ${creditNotes.amountApplied}), 0) from ${creditNotes}
	where ${creditNotes.tenantId} = ${outer.tenantId} and ${creditNotes.customerId} = ${outer.id}
	and ${creditNotes.currency} = ${outer.currency} and ${creditNotes.status} = 'issued'))`;

export type StandingQuery = {
	ids?: readonly string[];
	/** Matches the name or the email, case-insensitively (D1 takes LIKE patterns of up to 50 bytes). */
	search?: string;
	email?: string;
	/** Metadata values that must match exactly. */
	metadata?: Record<string, string>;
	hasOutstanding?: boolean;
	includeDeleted?: boolean;
	sort: { by: "name" | "email" | "created_at" | "outstanding" | "credit"; direction: "asc" | "desc" };
	offset: number;
	limit: number;
};

const sortColumns = {
	name: customers.name,
	email: customers.email,
	created_at: customers.createdAt,
	outstanding,
	credit,
};

/** The tenant's customers with their standing, filtered, sorted and paged by offset; and how many match. */
export async function customerStanding({ ctx, query }: { ctx: ServiceContext; query: StandingQuery }) {
	const conditions: (SQL | undefined)[] = [
		eq(customers.tenantId, ctx.tenantId),
		query.includeDeleted ? undefined : eq(customers.status, "active"),
		query.ids ? inArray(customers.id, query.ids.length > 0 ? [...query.ids] : [""]) : undefined,
		query.email ? eq(customers.email, query.email) : undefined,
		query.search
			? or(contains(sql`lower(${customers.name})`, query.search), contains(customers.email, query.search))
			: undefined,
		...Object.entries(query.metadata ?? {}).map(
			([key, value]) => sql`json_extract(${customers.metadata}, ${`$."${key}"`}) = ${value}`,
		),
		query.hasOutstanding === undefined
			? undefined
			: query.hasOutstanding
				? sql`${outstanding} > 0`
				: sql`${outstanding} = 0`,
	];
	const where = and(...conditions);
	const order = query.sort.direction === "asc" ? asc : desc;
	const [rows, [count]] = await ctx.db.batch([
		ctx.db
			.select({ customer: customers, outstanding, credit })
			.from(customers)
			.where(where)
			.orderBy(order(sortColumns[query.sort.by]), order(customers.id))
			.limit(query.limit)
			.offset(query.offset),
		ctx.db.select({ total: sql<number>`count(*)` }).from(customers).where(where),
	]);
	const content: CustomerStanding[] = rows.map((r) => ({
		...r.customer,
		outstanding: r.outstanding,
		credit: r.credit,
	}));
	return { content, total: count?.total ?? 0 };
}

/** `column` contains `text`, case-insensitively, with LIKE's wildcards in `text` taken literally. */
const contains = (column: SQL | typeof customers.email, text: string) =>
	sql`${column} like ${`%${text.toLowerCase().replace(/[%_\\]/g, (char) => `\\${char}`)}%`} escape '\\'`;
