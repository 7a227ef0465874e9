import { and, eq } from "drizzle-orm";
import { customers } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { type CustomerListQuery, presentCustomer } from "../../schemas/customer";
import { paginate } from "../pagination";

export function listCustomers({ ctx, query }: { ctx: ServiceContext; query: CustomerListQuery }) {
	const filters = and(
		eq(customers.tenantId, ctx.tenantId),
		query.status === "all" ? undefined : eq(customers.status, query.status),
		query.segment === undefined ? undefined : eq(customers.segment, query.segment),
		query.email === undefined ? undefined : eq(customers.email, query.email.toLowerCase()),
	);
	return paginate({
		query,
		idColumn: customers.id,
		run: (page) =>
			ctx.db
				.select()
				.from(customers)
				.where(and(filters, page.where))
				.orderBy(...page.orderBy)
				.limit(page.limit)
				.offset(page.offset),
		present: presentCustomer,
	});
}
