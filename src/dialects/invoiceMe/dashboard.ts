// Seed 004's dashboard: the receivables reports of src/services/reports in its field names, decimals out.
import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson } from "../../schemas/common";
import { invoiceStatusTotals } from "../../services/reports/invoiceStatusTotals";
import { receivablesAging } from "../../services/reports/receivablesAging";
import { receivablesMetrics } from "../../services/reports/receivablesMetrics";
import { revenueTrend } from "../../services/reports/revenueTrend";
import { decimalOut, InvoiceMeRoute } from "./base";
import { invoiceMeStatuses, STATUS_TABLE } from "./status";

const roles = ["SYSADMIN", "ACCOUNTANT"] as const;
const bucket = z.object({ count: z.number().int(), totalAmount: z.string() });

export class DashboardMetrics extends InvoiceMeRoute {
	readonly access = "reports:read";
	readonly roles = roles;
	override schema = {
		tags: ["InvoiceMe"],
		summary: "Key figures of this month",
		operationId: "invoiceMeDashboardMetrics",
		responses: {
			"200": {
				description: "Metrics in the tenant's default currency",
				content: contentJson(
					z.object({
						revenueMonthToDate: z.string(),
						outstandingInvoices: z.string(),
						activeCustomers: z.number().int(),
						invoicesSentThisMonth: z.number().int(),
						invoicesPaidThisMonth: z.number().int(),
						averageDaysToPay: z.number().int(),
					}),
				),
			},
		},
	};

	override async handle(c: AppContext) {
		const m = await receivablesMetrics({ ctx: tenantContext(c) });
		return c.json({
			revenueMonthToDate: decimalOut(m.collectedThisMonth, m.currency),
			outstandingInvoices: decimalOut(m.outstanding, m.currency),
			activeCustomers: m.activeCustomers,
			invoicesSentThisMonth: m.issuedThisMonth,
			invoicesPaidThisMonth: m.paidThisMonth,
			averageDaysToPay: m.averageDaysToPay,
		});
	}
}

export class DashboardRevenueTrend extends InvoiceMeRoute {
	readonly access = "reports:read";
	readonly roles = roles;
	override schema = {
		tags: ["InvoiceMe"],
		summary: "Revenue per month",
		operationId: "invoiceMeRevenueTrend",
		request: { query: z.object({ months: z.coerce.number().int().min(1).max(60).default(12) }) },
		responses: {
			"200": {
				description: "Oldest month first",
				content: contentJson(
					z.object({
						data: z.array(z.object({ month: z.string(), revenue: z.string(), invoiceCount: z.number().int() })),
					}),
				),
			},
		},
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		const trend = await revenueTrend({ ctx: tenantContext(c), months: query.months });
		return c.json({
			data: trend.months.map((m) => ({
				month: m.month,
				revenue: decimalOut(m.collected, trend.currency),
				invoiceCount: m.invoicesIssued,
			})),
		});
	}
}

export class DashboardInvoiceStatus extends InvoiceMeRoute {
	readonly access = "reports:read";
	readonly roles = roles;
	override schema = {
		tags: ["InvoiceMe"],
		summary: "Invoices by status",
		operationId: "invoiceMeInvoiceStatus",
		responses: {
			"200": {
				description: "Count and total per status",
				content: contentJson(z.object(Object.fromEntries(invoiceMeStatuses.map((s) => [s.toLowerCase(), bucket])))),
			},
		},
	};

	override async handle(c: AppContext) {
		const { currency, groups } = await invoiceStatusTotals({ ctx: tenantContext(c) });
		const breakdown = Object.fromEntries(
			invoiceMeStatuses.map((name) => {
				const entry = STATUS_TABLE[name];
				const matching = groups.filter(
					(g) => entry.ours.includes(g.status) && (entry.overdue === undefined || entry.overdue === g.overdue),
				);
				const total = matching.reduce((sum, g) => sum + g.total, 0);
				const count = matching.reduce((sum, g) => sum + g.count, 0);
				return [name.toLowerCase(), { count, totalAmount: decimalOut(total, currency) }];
			}),
		);
		return c.json(breakdown);
	}
}

export class DashboardAging extends InvoiceMeRoute {
	readonly access = "reports:read";
	readonly roles = roles;
	override schema = {
		tags: ["InvoiceMe"],
		summary: "Open receivables by days past due",
		operationId: "invoiceMeAgingReport",
		responses: {
			"200": {
				description: "Count and amount owed per bucket",
				content: contentJson(
					z.object({ current: bucket, days30: bucket, days60: bucket, days90: bucket, over90: bucket }),
				),
			},
		},
	};

	override async handle(c: AppContext) {
		const { currency, buckets } = await receivablesAging({ ctx: tenantContext(c) });
		const out = (b: { count: number; amount: number }) => ({
			count: b.count,
			totalAmount: decimalOut(b.amount, currency),
		});
		return c.json({
			current: out(buckets.current),
			days30: out(buckets.days_1_30),
			days60: out(buckets.days_31_60),
			days90: out(buckets.days_61_90),
			over90: out(buckets.days_over_90),
		});
	}
}
