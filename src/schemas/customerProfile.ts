import { z } from "zod";
import type { Delinquency } from "../domain/delinquency";
import { type CustomerRow, customerSchema, presentCustomer } from "./customer";
import { isExpired, type PaymentMethodRow } from "./paymentMethod";

const money = z.number().int();

export const currencyBalanceSchema = z
	.object({
		currency: z.string(),
		outstanding: money.meta({ description: "Open invoice balances." }),
		overdue: money.meta({ description: "The part of `outstanding` past its due date." }),
		credit: money.meta({ description: "Unapplied payments and unused credit notes." }),
		net: money.meta({ description: "Outstanding minus credit." }),
		aging: z.object({
			current: money,
			days_1_30: money,
			days_31_60: money,
			days_61_90: money,
			days_over_90: money,
		}),
	})
	.meta({ id: "CurrencyBalance" });

export type CurrencyBalance = z.infer<typeof currencyBalanceSchema>;

export const customerProfileSchema = customerSchema
	.extend({
		balances: z.array(currencyBalanceSchema).meta({ description: "Per currency the customer has dealt in, today." }),
		payment_methods: z
			.object({
				count: z.number().int(),
				expired: z.number().int().meta({ description: "How many of them are past their expiry month." }),
				default: z
					.object({
						id: z.string(),
						brand: z.string().nullable(),
						last4: z.string().nullable(),
						exp_month: z.number().int().nullable(),
						exp_year: z.number().int().nullable(),
						expired: z.boolean(),
					})
					.nullable(),
			})
			.meta({ description: "The customer's payment methods in brief; the list is /customers/{id}/payment-methods." }),
		delinquency: z
			.object({
				delinquent: z.boolean().meta({ description: "Something is past due: an invoice or a subscription." }),
				overdue_invoices: z.number().int(),
				oldest_overdue_due_date: z.string().nullable(),
				days_past_due: z.number().int().meta({ description: "Days since the oldest overdue invoice fell due." }),
				subscriptions_past_due: z
					.number()
					.int()
					.meta({ description: "Subscriptions that unpaid invoices moved to past_due or unpaid." }),
			})
			.meta({ id: "CustomerDelinquency" }),
	})
	.meta({ id: "CustomerProfile", description: "The customer with its balances, payment methods and delinquency." });

export const presentCustomerProfile = (
	row: CustomerRow,
	{
		balances,
		paymentMethods,
		delinquency,
		today,
	}: { balances: CurrencyBalance[]; paymentMethods: PaymentMethodRow[]; delinquency: Delinquency; today: string },
): z.infer<typeof customerProfileSchema> => {
	const preferred = paymentMethods.find((method) => method.isDefault) ?? null;
	return {
		...presentCustomer(row),
		balances,
		payment_methods: {
			count: paymentMethods.length,
			expired: paymentMethods.filter((method) => isExpired(method, today)).length,
			default: preferred && {
				id: preferred.id,
				brand: preferred.brand,
				last4: preferred.last4,
				exp_month: preferred.expMonth,
				exp_year: preferred.expYear,
				expired: isExpired(preferred, today),
			},
		},
		delinquency,
	};
};
