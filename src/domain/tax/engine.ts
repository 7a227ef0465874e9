// The tax engine: who is taxed where, at which rate and category, and how the amounts round. Pure —
// the caller passes the seller's setup, the buyer, the rates (built-in plus the tenant's) and the lines.
//
// Rules, per line:
//   buyer tax status reverse_charge            → AE, 0 (needs the buyer's tax id)
//   same tax area, same country (domestic)     → the rates at the buyer's place (region and postal code
//                                                 pick US/CA sub-national rates; India splits CGST + SGST or IGST)
//   EU, different member states, buyer tax id  → goods: K (intra-Community supply); services: AE
//   EU, different member states, consumer      → goods (distance sales) and digital_services: the buyer's
//                                                 country when the seller is OSS-registered, above the EU
//                                                 threshold or registered there; otherwise, and for other
//                                                 services, the seller's country
//   outside the seller's tax area              → the buyer's country for a consumer where the seller is
//                                                 registered there (or, for digital services into the EU,
//                                                 OSS-registered); otherwise G (export)
// then tax code `exempt` → E, `zero` → Z, and a buyer whose tax status is `exempt` → E with its reason.
// A line is goods or services by its `supplyType` (services unless it says goods): billing mostly sells
// services, and the distinction only matters for intra-EU B2B (K vs AE) and distance sales.
import { type Decimal, formatDecimal, parseDecimal, toSafeNumber } from "../decimal";
import { RATE_SCALE } from "../invoiceTotals";
import { CATEGORY_EXEMPTIONS, CHARGED_CATEGORIES, type Exemption, isVatexCode, type TaxCategory } from "./categories";
import { isCountry, isEuMember, isKnownRegion, taxLocation } from "./countries";
import { applicableRates, firstRateDate, knownTaxCodes, type RateRecord } from "./rates";
import { allocate, splitInclusive, taxOf } from "./rounding";
import { checkTaxId } from "./taxIds";

export type TaxRounding = "per_line" | "per_invoice";
export type TaxStatus = "taxable" | "exempt" | "reverse_charge";
export type SupplyType = "goods" | "services";

export type TaxRegistration = { country: string; region: string | null };

export type SellerTaxSetup = {
	originCountry: string;
	originRegion: string | null;
	/** Where the seller is registered besides its origin (a US state, a Canadian province, an EU state). */
	registrations: readonly TaxRegistration[];
	/** Registered for the EU One-Stop Shop (Union or non-Union scheme). */
	ossRegistered: boolean;
	/** Its EU cross-border B2C sales passed EUR 10 000 this or last year (Art. 59c Directive 2006/112/EC). */
	euDistanceSalesAboveThreshold: boolean;
};

export type BuyerTaxProfile = {
	country: string;
	region: string | null;
	postalCode: string | null;
	taxId: string | null;
	taxStatus: TaxStatus;
	exemptionReason: string | null;
	exemptionReasonCode: string | null;
};

export type TaxableItem = {
	/** Minor units: the net amount, or the gross one when prices include tax. */
	amount: number;
	taxCode: string;
	supplyType: SupplyType;
	/** Overrides the invoice's `pricesIncludeTax` for this line. */
	pricesIncludeTax?: boolean;
};

export type TaxCalculationInput = {
	seller: SellerTaxSetup;
	buyer: BuyerTaxProfile;
	supplyDate: string;
	pricesIncludeTax: boolean;
	rounding: TaxRounding;
	items: readonly TaxableItem[];
	/** The tenant's own rates; the built-in table is always there too. */
	tenantRates: readonly RateRecord[];
	/** The built-in table (BUILT_IN_RECORDS); a parameter so tests can pin one. */
	builtInRates: readonly RateRecord[];
};

export type ComputedLineTax = {
	jurisdiction: string;
	name: string;
	rate: string;
	category: TaxCategory;
	amount: number;
	exemptionReason: string | null;
	exemptionReasonCode: string | null;
};

export type TaxedItem = {
	netAmount: number;
	taxAmount: number;
	grossAmount: number;
	/** The category of the line's first tax: what EN 16931 BT-151 shows for the line. */
	category: TaxCategory;
	taxes: ComputedLineTax[];
};

export type TaxBreakdownRow = {
	jurisdiction: string;
	category: TaxCategory;
	rate: string;
	taxableAmount: number;
	amount: number;
	exemptionReason: string | null;
	exemptionReasonCode: string | null;
};

export type LegalNote = { category: TaxCategory; text: string; code: string | null };

export type TaxCalculation = {
	items: TaxedItem[];
	breakdown: TaxBreakdownRow[];
	notes: LegalNote[];
	netTotal: number;
	taxTotal: number;
	grossTotal: number;
	/** The buyer's tax id as validated and normalized, or null. */
	buyerTaxId: string | null;
};

/** Input the engine cannot tax; `field` names it as the calculate endpoint's body does (`items.2.tax_code`). */
export class TaxInputError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
	}
}

/** One tax of a line as decided, before its amount: by the engine's rules, or as the caller stated it. */
export type TaxComponent = {
	jurisdiction: string;
	name: string;
	rate: Decimal;
	category: TaxCategory;
	exemption: Exemption | null;
};

/** A tax the caller typed on a line: standard-rated when charged, zero-rated at 0. */
export const statedComponent = (jurisdiction: string, rate: Decimal): TaxComponent => ({
	jurisdiction,
	name: jurisdiction,
	rate,
	category: rate.units === 0n ? "Z" : "S",
	exemption: null,
});

/** A line whose taxes are decided: its amount (the gross one when its price includes tax) and its taxes. */
export type DecidedItem = { amount: number; pricesIncludeTax: boolean; components: readonly TaxComponent[] };

const ZERO: Decimal = { units: 0n, scale: 0 };
const ISO_DATE = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;

/** Countries with no national sales tax: only their sub-national rates exist. */
const NO_NATIONAL_TAX: ReadonlySet<string> = new Set(["US"]);

const zeroComponent = (
	category: TaxCategory,
	jurisdiction: string,
	exemption: Exemption | null,
	name: string,
): TaxComponent => ({
	jurisdiction,
	name,
	rate: ZERO,
	category,
	exemption: exemption ?? CATEGORY_EXEMPTIONS[category] ?? null,
});

function validate(input: TaxCalculationInput, codes: ReadonlySet<string>): string | null {
	const { seller, buyer } = input;
	if (!isCountry(seller.originCountry))
		throw new TaxInputError("seller.origin_country", "is not an ISO 3166-1 country");
	if (seller.originRegion !== null && !isKnownRegion(seller.originCountry, seller.originRegion)) {
		throw new TaxInputError("seller.origin_region", `is not a region of ${seller.originCountry}`);
	}
	for (const [i, registration] of seller.registrations.entries()) {
		if (!isCountry(registration.country)) {
			throw new TaxInputError(`seller.registrations.${i}.country`, "is not an ISO 3166-1 country");
		}
		if (registration.region !== null && !isKnownRegion(registration.country, registration.region)) {
			throw new TaxInputError(`seller.registrations.${i}.region`, `is not a region of ${registration.country}`);
		}
	}
	if (!isCountry(buyer.country)) throw new TaxInputError("buyer.country", "is not an ISO 3166-1 country");
	if (buyer.region !== null && !isKnownRegion(buyer.country, buyer.region)) {
		throw new TaxInputError("buyer.region", `is not a region of ${buyer.country}`);
	}
	if (!ISO_DATE.test(input.supplyDate) || Number.isNaN(Date.parse(input.supplyDate))) {
		throw new TaxInputError("supply_date", "must be a date as YYYY-MM-DD");
	}
	let taxId: string | null = null;
	if (buyer.taxId !== null) {
		const check = checkTaxId(buyer.country, buyer.taxId);
		if (!check.valid) throw new TaxInputError("buyer.tax_id", check.reason);
		taxId = check.normalized;
	}
	if (buyer.taxStatus === "reverse_charge" && taxId === null) {
		throw new TaxInputError("buyer.tax_id", "is required when the tax status is reverse_charge");
	}
	if (buyer.taxStatus === "exempt" && !buyer.exemptionReason) {
		throw new TaxInputError("buyer.exemption_reason", "is required when the tax status is exempt");
	}
	if (buyer.exemptionReasonCode !== null && !isVatexCode(buyer.exemptionReasonCode)) {
		throw new TaxInputError("buyer.exemption_reason_code", "must be a VATEX code, such as VATEX-EU-132-1I");
	}
	for (const [i, item] of input.items.entries()) {
		if (!Number.isSafeInteger(item.amount) || item.amount < 0) {
			throw new TaxInputError(`items.${i}.amount`, "must be a non-negative integer of minor units");
		}
		if (!codes.has(item.taxCode)) {
			throw new TaxInputError(`items.${i}.tax_code`, `is not a tax code: use one of ${[...codes].sort().join(", ")}`);
		}
	}
	return taxId;
}

/** Decides every line's taxes (jurisdiction, rate, category); amounts come after, by the rounding rule. */
function decideTaxes(input: TaxCalculationInput, taxId: string | null, table: readonly RateRecord[]) {
	const { seller, buyer, supplyDate } = input;
	const sellerPlace = taxLocation({ country: seller.originCountry, region: seller.originRegion, postalCode: null });
	const buyerPlace = taxLocation(buyer);
	const registeredIn = (country: string, region: string | null) =>
		(seller.originCountry === country && (region === null || seller.originRegion === region)) ||
		seller.registrations.some((r) => r.country === country && (region === null || r.region === region));
	const isBusiness = taxId !== null;
	const origin = seller.originCountry;
	// Zero-rated lines carry the name of the seller's own tax (VAT, GST, MWST), or "Tax" where it has none.
	const taxName = table.find((rate) => rate.country === origin && rate.region === null)?.name ?? "Tax";
	const zero = (category: TaxCategory, jurisdiction: string, exemption: Exemption | null = null) =>
		zeroComponent(category, jurisdiction, exemption, taxName);

	const exportExemption: Exemption =
		sellerPlace.area === "EU"
			? (CATEGORY_EXEMPTIONS.G as Exemption)
			: { reason: "Export: not subject to tax in the seller's country", code: null };

	type Place = { country: string; region: string | null; postalCode: string | null };
	const atBuyer: Place = { country: buyer.country, region: buyerPlace.region, postalCode: buyer.postalCode };
	const atSeller: Place = { country: origin, region: sellerPlace.region, postalCode: null };

	function placeOf(item: TaxableItem): Place | TaxComponent {
		if (buyer.taxStatus === "reverse_charge") return zero("AE", origin);
		const sameArea = sellerPlace.area === buyerPlace.area;
		const distanceOrDigital = item.supplyType === "goods" || item.taxCode === "digital_services";
		if (sameArea && sellerPlace.area === "EU" && origin !== buyer.country) {
			if (isBusiness) return zero(item.supplyType === "goods" ? "K" : "AE", origin);
			const destination =
				distanceOrDigital &&
				(seller.ossRegistered || seller.euDistanceSalesAboveThreshold || registeredIn(buyer.country, null));
			return destination ? atBuyer : atSeller;
		}
		if (sameArea) return atBuyer;
		const consumerTaxedAtDestination =
			!isBusiness &&
			buyer.country !== origin &&
			(registeredIn(buyer.country, null) ||
				(isEuMember(buyer.country) && item.taxCode === "digital_services" && seller.ossRegistered));
		return consumerTaxedAtDestination ? atBuyer : zero("G", origin, exportExemption);
	}

	function ratesAt(place: Place, item: TaxableItem, index: number): TaxComponent[] {
		const taxCode = item.taxCode === "digital_services" ? "standard" : item.taxCode;
		const territory = taxLocation(place).area.startsWith(`${place.country}-`);
		// A territory outside its country's tax area (Canary Islands, Ceuta, Melilla) has only its own taxes.
		const found = applicableRates(table, { ...place, taxCode, date: supplyDate }).filter(
			(rate) => !territory || rate.region === place.region,
		);
		// A sub-national tax (US state, PST, QST) is charged only where the seller is registered for it.
		const charged = found.filter(
			(rate) => rate.jurisdiction === rate.country || registeredIn(rate.country, rate.region),
		);
		if (charged.length === 0) {
			if (found.length > 0 || (NO_NATIONAL_TAX.has(place.country) && !registeredIn(place.country, place.region))) {
				const where = place.region ? `${place.country}-${place.region}` : place.country;
				return [
					zero("O", where, { reason: `Not subject to tax: the seller is not registered in ${where}`, code: null }),
				];
			}
			const first = firstRateDate(table, place.country);
			if (first !== null && supplyDate < first) {
				throw new TaxInputError(
					"supply_date",
					`is before ${first}, the first day with ${place.country} rates; add rates for earlier dates with POST /v1/billing/tax/rates`,
				);
			}
			throw new TaxInputError(
				`items.${index}.tax_code`,
				`has no rate in ${place.region ? `${place.country}-${place.region}` : place.country} on ${supplyDate}; add one with POST /v1/billing/tax/rates`,
			);
		}
		return charged.flatMap((rate) => componentsOf(rate, place, index));
	}

	/** A rate as charged: as it is, except in India: CGST + SGST (half each) within the seller's state, IGST across states. */
	function componentsOf(rate: RateRecord, place: Place, index: number): TaxComponent[] {
		const decimalRate = parseDecimal(rate.rate, RATE_SCALE) as Decimal;
		const category: TaxCategory = decimalRate.units === 0n ? "Z" : rate.category;
		const component = {
			jurisdiction: rate.jurisdiction,
			name: rate.name,
			rate: decimalRate,
			category,
			exemption: null,
		};
		if (place.country !== "IN" || origin !== "IN") return [component];
		if (place.region === null)
			throw new TaxInputError("buyer.region", "is required for a sale within India (its state)");
		if (seller.originRegion === null) {
			throw new TaxInputError(
				"seller.origin_region",
				`is required to tax item ${index} within India (the seller's state)`,
			);
		}
		if (place.region !== seller.originRegion) return [{ ...component, name: "IGST" }];
		const half = { units: decimalRate.units * 5n, scale: decimalRate.scale + 1 };
		return [
			{ ...component, name: "CGST", rate: half },
			{ ...component, name: "SGST", jurisdiction: `IN-${place.region}`, rate: half },
		];
	}

	return input.items.map((item, index): TaxComponent[] => {
		const place = placeOf(item);
		if ("category" in place) return [place];
		const area = taxLocation(place).area;
		const jurisdiction = area.startsWith(`${place.country}-`) ? area : place.country;
		let components: TaxComponent[];
		if (item.taxCode === "exempt") components = [zero("E", jurisdiction)];
		else if (item.taxCode === "zero") components = [zero("Z", jurisdiction)];
		else components = ratesAt(place, item, index);
		if (buyer.taxStatus === "exempt" && components.some((c) => CHARGED_CATEGORIES.has(c.category))) {
			const reason = { reason: buyer.exemptionReason as string, code: buyer.exemptionReasonCode };
			return [zero("E", (components[0] as TaxComponent).jurisdiction, reason)];
		}
		return components;
	});
}

const keyOf = (c: TaxComponent) => `${c.jurisdiction}\u0000${c.category}\u0000${formatDecimal(c.rate)}`;

/**
 * Tax amounts per line and component, by the tenant's rounding rule (see rounding.ts). Lines whose prices
 * include tax are split so that net + taxes is their amount exactly, whatever their taxes were decided by.
 */
function amountsOf(items: readonly DecidedItem[], rounding: TaxRounding): { net: bigint; taxes: bigint[] }[] {
	const result = items.map((item) => ({
		net: item.pricesIncludeTax ? 0n : BigInt(item.amount),
		taxes: item.components.map(() => 0n),
	}));
	if (rounding === "per_line") {
		for (const [i, item] of items.entries()) {
			const amount = BigInt(item.amount);
			result[i] = item.pricesIncludeTax
				? splitInclusive(
						amount,
						item.components.map((c) => c.rate),
					)
				: { net: amount, taxes: item.components.map((c) => taxOf(amount, c.rate)) };
		}
		return result;
	}
	// Per invoice, tax-exclusive: each (jurisdiction, category, rate) taxes its summed base once (BR-CO-17).
	const exclusiveGroups = new Map<string, { rate: Decimal; members: [line: number, component: number][] }>();
	// Per invoice, tax-inclusive: lines with the same taxes split their summed gross once.
	const inclusiveGroups = new Map<string, number[]>();
	for (const [i, item] of items.entries()) {
		if (item.pricesIncludeTax) {
			const signature = item.components.map(keyOf).join("\u0001");
			inclusiveGroups.set(signature, [...(inclusiveGroups.get(signature) ?? []), i]);
			continue;
		}
		for (const [k, component] of item.components.entries()) {
			const key = keyOf(component);
			const group = exclusiveGroups.get(key) ?? { rate: component.rate, members: [] };
			group.members.push([i, k]);
			exclusiveGroups.set(key, group);
		}
	}
	for (const { rate, members } of exclusiveGroups.values()) {
		const bases = members.map(([i]) => BigInt((items[i] as DecidedItem).amount));
		const total = taxOf(
			bases.reduce((s, b) => s + b, 0n),
			rate,
		);
		for (const [m, share] of allocate(total, bases).entries()) {
			const [i, k] = members[m] as [number, number];
			(result[i] as { taxes: bigint[] }).taxes[k] = share;
		}
	}
	for (const lines of inclusiveGroups.values()) {
		const own = (items[lines[0] as number] as DecidedItem).components;
		const grosses = lines.map((i) => BigInt((items[i] as DecidedItem).amount));
		const split = splitInclusive(
			grosses.reduce((s, g) => s + g, 0n),
			own.map((c) => c.rate),
		);
		const shares = split.taxes.map((tax) => allocate(tax, grosses));
		for (const [m, i] of lines.entries()) {
			const taxes = shares.map((perLine) => perLine[m] as bigint);
			result[i] = { net: (grosses[m] as bigint) - taxes.reduce((s, t) => s + t, 0n), taxes };
		}
	}
	return result;
}

/** Each line's net, taxes and gross from its decided taxes, rounded by `rounding` over all the lines given. */
export function taxItems(items: readonly DecidedItem[], rounding: TaxRounding): TaxedItem[] {
	return amountsOf(items, rounding).map(({ net, taxes }, i) => {
		const own = (items[i] as DecidedItem).components;
		const taxAmount = taxes.reduce((s, t) => s + t, 0n);
		return {
			netAmount: toSafeNumber(net),
			taxAmount: toSafeNumber(taxAmount),
			grossAmount: toSafeNumber(net + taxAmount),
			category: (own[0] as TaxComponent).category,
			taxes: own.map((c, k) => ({
				jurisdiction: c.jurisdiction,
				name: c.name,
				rate: formatDecimal(c.rate),
				category: c.category,
				amount: toSafeNumber(taxes[k] as bigint),
				exemptionReason: c.exemption?.reason ?? null,
				exemptionReasonCode: c.exemption?.code ?? null,
			})),
		};
	});
}

/**
 * Validates the input and decides every item's taxes (jurisdiction, rate, category, exemption) by the
 * rules above, without amounts; also the buyer's tax id as validated and normalized.
 */
export function decideItemTaxes(input: TaxCalculationInput): { items: DecidedItem[]; buyerTaxId: string | null } {
	const table = [...input.builtInRates, ...input.tenantRates];
	const taxId = validate(input, knownTaxCodes(input.tenantRates));
	const components = decideTaxes(input, taxId, table);
	const items = input.items.map((item, i) => ({
		amount: item.amount,
		pricesIncludeTax: item.pricesIncludeTax ?? input.pricesIncludeTax,
		components: components[i] as TaxComponent[],
	}));
	return { items, buyerTaxId: taxId };
}

export function calculateTax(input: TaxCalculationInput): TaxCalculation {
	const decided = decideItemTaxes(input);
	const items = taxItems(decided.items, input.rounding);

	const rows = new Map<string, TaxBreakdownRow>();
	for (const item of items) {
		for (const tax of item.taxes) {
			const key = `${tax.jurisdiction}\u0000${tax.category}\u0000${tax.rate}`;
			const row = rows.get(key) ?? {
				jurisdiction: tax.jurisdiction,
				category: tax.category,
				rate: tax.rate,
				taxableAmount: 0,
				amount: 0,
				exemptionReason: tax.exemptionReason,
				exemptionReasonCode: tax.exemptionReasonCode,
			};
			row.taxableAmount += item.netAmount;
			row.amount += tax.amount;
			rows.set(key, row);
		}
	}
	const breakdown = [...rows.values()];

	const notes = new Map<string, LegalNote>();
	for (const row of breakdown) {
		if (row.exemptionReason !== null) {
			notes.set(`${row.category}\u0000${row.exemptionReason}`, {
				category: row.category,
				text: row.exemptionReason,
				code: row.exemptionReasonCode,
			});
		}
	}

	const sum = (pick: (item: TaxedItem) => number) =>
		toSafeNumber(items.reduce((s, item) => s + BigInt(pick(item)), 0n));
	return {
		items,
		breakdown,
		notes: [...notes.values()],
		netTotal: sum((item) => item.netAmount),
		taxTotal: sum((item) => item.taxAmount),
		grossTotal: sum((item) => item.grossAmount),
		buyerTaxId: decided.buyerTaxId,
	};
}
