import { eq } from "drizzle-orm";
import { type customers, tenants } from "../../db/schema";
import type { Logo, Party } from "../../documents/model";
import type { ServiceContext } from "../../lib/context";
import { notFound } from "../../lib/errors";

export type TenantRow = typeof tenants.$inferSelect;
type CustomerRow = typeof customers.$inferSelect;

export async function loadTenantRow(ctx: ServiceContext): Promise<TenantRow> {
	const row = await ctx.db.select().from(tenants).where(eq(tenants.id, ctx.tenantId)).get();
	if (!row) throw notFound("tenant", ctx.tenantId);
	return row;
}

/** The seller as its documents print it: its legal profile, or only its name until one is set. */
export function sellerOf(tenant: TenantRow): Party {
	const profile = tenant.legalProfile;
	return {
		name: profile?.legal_name ?? tenant.name,
		addressLines: profile?.address_lines ?? [],
		taxId: profile?.tax_id ?? null,
		registration: profile?.registration ?? null,
		email: profile?.email_from ?? null,
	};
}

export function buyerOf(customer: CustomerRow): Party {
	const address = customer.billingAddress;
	const cityLine = address ? [address.postal_code, address.city, address.state].filter(Boolean).join(" ") : "";
	return {
		name: customer.name,
		addressLines: address
			? [address.line1, address.line2, cityLine, address.country].filter((l): l is string => !!l)
			: [],
		taxId: customer.taxId,
		registration: null,
		email: customer.email,
	};
}

export const localeOf = (tenant: TenantRow) => tenant.legalProfile?.locale ?? tenant.locale;

export async function logoOf(ctx: ServiceContext, tenant: TenantRow): Promise<Logo | null> {
	if (!tenant.logo) return null;
	const object = await ctx.env.FILES.get(tenant.logo.key);
	if (!object) return null;
	return { contentType: tenant.logo.content_type, bytes: new Uint8Array(await object.arrayBuffer()) };
}
