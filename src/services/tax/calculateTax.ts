import type { z } from "zod";
import { calculateTax as runEngine, TaxInputError } from "../../domain/tax/engine";
import { BUILT_IN_RECORDS } from "../../domain/tax/rates";
import type { ServiceContext } from "../../lib/context";
import { AppError, fieldInvalid } from "../../lib/errors";
import type { taxCalculationBody } from "../../schemas/tax";
import { loadCustomer } from "../customers/loadCustomer";
import { taxInputProblem } from "./taxProblems";
import { loadTenantTaxSetup } from "./tenantTaxSetup";

type CalculationInput = z.infer<typeof taxCalculationBody>;

/** The engine's field names as this request and the tenant's settings spell them. */
const REQUEST_FIELDS: Record<string, string> = {
	"buyer.country": "address.country",
	"buyer.region": "address.state",
	"buyer.tax_id": "tax_id",
	"buyer.exemption_reason": "exemption_reason",
	"buyer.exemption_reason_code": "exemption_reason_code",
};

/**
 * Taxes for a preview or a quote: the engine on the tenant's setup and rates, for a buyer given by its
 * address and tax id or by a customer of the tenant. Nothing is stored.
 */
export async function calculateTax({ ctx, input }: { ctx: ServiceContext; input: CalculationInput }) {
	const setup = await loadTenantTaxSetup(ctx);
	if (!setup.seller) {
		throw new AppError(
			"invalid_state",
			"Set the tenant's tax_origin_country with PATCH /v1/billing/settings before calculating taxes.",
			{ extensions: { setting: "tax_origin_country" } },
		);
	}
	const supplyDate = input.supply_date ?? setup.today;
	const customer = input.customer_id === undefined ? null : await loadCustomer(ctx, input.customer_id);
	const address = input.address ?? customer?.billingAddress;
	if (!address) throw fieldInvalid("body", "address", "is required: the customer has no billing address");
	const buyer = {
		country: address.country,
		region: address.state ?? null,
		postalCode: address.postal_code ?? null,
		taxId: input.tax_id ?? customer?.taxId ?? null,
		taxStatus: input.tax_status,
		exemptionReason: input.exemption_reason ?? null,
		exemptionReasonCode: input.exemption_reason_code ?? null,
	};
	let result: ReturnType<typeof runEngine>;
	try {
		result = runEngine({
			seller: setup.seller,
			buyer,
			supplyDate,
			pricesIncludeTax: input.prices_include_tax ?? setup.pricesIncludeTax,
			rounding: setup.rounding,
			items: input.items.map((item) => ({
				amount: item.amount,
				taxCode: item.tax_code,
				supplyType: item.supply_type,
				pricesIncludeTax: item.prices_include_tax,
			})),
			tenantRates: setup.rates,
			builtInRates: BUILT_IN_RECORDS,
		});
	} catch (error) {
		if (error instanceof TaxInputError) throw taxInputProblem(error, (field) => REQUEST_FIELDS[field] ?? field);
		throw error;
	}
	return {
		object: "tax_calculation" as const,
		currency: input.currency ?? customer?.currency ?? setup.defaultCurrency,
		supply_date: supplyDate,
		tax_rounding: setup.rounding,
		buyer: {
			country: buyer.country,
			region: buyer.region,
			postal_code: buyer.postalCode,
			tax_id: result.buyerTaxId,
			tax_status: buyer.taxStatus,
		},
		lines: result.items.map((line, i) => ({
			description: input.items[i]?.description ?? null,
			net_amount: line.netAmount,
			tax_amount: line.taxAmount,
			total: line.grossAmount,
			tax_category: line.category,
			taxes: line.taxes.map((tax) => ({
				jurisdiction: tax.jurisdiction,
				name: tax.name,
				rate: tax.rate,
				category: tax.category,
				amount: tax.amount,
				exemption_reason: tax.exemptionReason,
				exemption_reason_code: tax.exemptionReasonCode,
			})),
		})),
		tax_lines: result.breakdown.map((row) => ({
			jurisdiction: row.jurisdiction,
			category: row.category,
			rate: row.rate,
			taxable_amount: row.taxableAmount,
			amount: row.amount,
			exemption_reason: row.exemptionReason,
			exemption_reason_code: row.exemptionReasonCode,
		})),
		notes: result.notes,
		subtotal: result.netTotal,
		tax_total: result.taxTotal,
		total: result.grossTotal,
	};
}
