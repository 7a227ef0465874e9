// Seed 004's customers onto the canonical customer services. Its fields without a canonical column
// (contact name, phone, customer type, account status) are kept in the customer's metadata, so both
// surfaces show the same customer.
import { z } from "zod";
import type { BillingAddress } from "../../db/schema";
import { type AppContext, tenantContext } from "../../lib/context";
import { AppError, notFound } from "../../lib/errors";
import type { CustomerOwnership } from "../../routes/base";
import { contentJson, prefixedId } from "../../schemas/common";
import { createCustomer } from "../../services/customers/createCustomer";
import { type CustomerStanding, customerStanding } from "../../services/customers/customerStanding";
import { deleteCustomer } from "../../services/customers/deleteCustomer";
import { updateCustomer } from "../../services/customers/updateCustomer";
import { decimalOut, InvoiceMeRoute, pageQuery, parseSort, problem, springPage } from "./base";

const customerTypes = ["RESIDENTIAL", "COMMERCIAL", "INSURANCE"] as const;
const accountStatuses = ["ACTIVE", "INACTIVE", "SUSPENDED"] as const;

/** Metadata keys holding the seed's fields that have no column of their own. */
const KEYS = { contactName: "contact_name", phone: "phone", customerType: "customer_type", status: "account_status" };

const text = (max: number) => z.string().trim().min(1).max(max);

const address = z
	.strictObject({
		street: text(200).optional(),
		street2: text(200).optional(),
		city: text(100).optional(),
		state: text(100).optional(),
		zipCode: text(20).optional(),
		country: z.string().regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 country code, such as US"),
	})
	.meta({ id: "InvoiceMeAddress" });

const customerFields = {
	companyName: text(200),
	email: z
		.email("must be an email address")
		.max(254)
		.transform((value) => value.toLowerCase()),
	contactName: text(200).optional(),
	phone: text(40).optional(),
	address: address.optional(),
	customerType: z.enum(customerTypes).default("COMMERCIAL"),
};

const customerCreate = z.strictObject(customerFields).meta({
	id: "InvoiceMeCustomerCreate",
	example: { companyName: "Acme Corp", email: "ap@acme.example", contactName: "Jo", customerType: "COMMERCIAL" },
});

const customerUpdate = z
	.strictObject({
		companyName: customerFields.companyName.optional(),
		email: customerFields.email.optional(),
		contactName: customerFields.contactName,
		phone: customerFields.phone,
		address: customerFields.address,
		customerType: z.enum(customerTypes).optional(),
		status: z.enum(accountStatuses).optional(),
	})
	.meta({ id: "InvoiceMeCustomerUpdate" });

const customerSchema = z
	.object({
		id: z.string(),
		companyName: z.string(),
		email: z.string().nullable(),
		contactName: z.string().nullable(),
		phone: z.string().nullable(),
		address: z.union([address, z.null()]),
		customerType: z.string(),
		status: z.string(),
		currency: z.string(),
		creditBalance: z.string(),
		outstandingBalance: z.string(),
		createdAt: z.string(),
		updatedAt: z.string(),
	})
	.meta({ id: "InvoiceMeCustomer" });

const toAddress = (value: z.infer<typeof address>): BillingAddress => ({
	line1: value.street,
	line2: value.street2,
	city: value.city,
	state: value.state,
	postal_code: value.zipCode,
	country: value.country,
});

export function presentCustomer(row: CustomerStanding) {
	const a = row.billingAddress;
	return {
		id: row.id,
		companyName: row.name,
		email: row.email,
		contactName: row.metadata[KEYS.contactName] ?? null,
		phone: row.metadata[KEYS.phone] ?? null,
		address: a
			? { street: a.line1, street2: a.line2, city: a.city, state: a.state, zipCode: a.postal_code, country: a.country }
			: null,
		customerType: row.metadata[KEYS.customerType] ?? "COMMERCIAL",
		status: row.status === "deleted" ? "INACTIVE" : (row.metadata[KEYS.status] ?? "ACTIVE"),
		currency: row.currency,
		creditBalance: decimalOut(row.credit, row.currency),
		outstandingBalance: decimalOut(row.outstanding, row.currency),
		createdAt: row.createdAt,
		updatedAt: row.updatedAt,
	};
}

/** The customer with its standing, or 404. */
export async function standingOf(c: AppContext, id: string) {
	const { content } = await customerStanding({
		ctx: tenantContext(c),
		query: { ids: [id], sort: { by: "created_at", direction: "asc" }, offset: 0, limit: 1 },
	});
	const [customer] = content;
	if (!customer) throw notFound("customer", id);
	return customer;
}

async function assertEmailFree(c: AppContext, email: string, exceptId?: string) {
	const { content } = await customerStanding({
		ctx: tenantContext(c),
		query: { email, sort: { by: "created_at", direction: "asc" }, offset: 0, limit: 2 },
	});
	if (content.some((customer) => customer.id !== exceptId)) {
		throw new AppError("conflict", `A customer with the email '${email}' exists already.`);
	}
}

/** The seed's fields that live in metadata, under their metadata keys (those not sent are left out). */
const metadataOf = (fields: Partial<Record<keyof typeof KEYS, string>>) =>
	Object.fromEntries(
		Object.entries(KEYS).flatMap(([field, key]) => {
			const value = fields[field as keyof typeof KEYS];
			return value === undefined ? [] : [[key, value]];
		}),
	);

const idParam = z.object({ id: prefixedId("cus") });
const ownCustomer: CustomerOwnership = { in: "params", field: "id", of: "customer" };

export class CustomerCreate extends InvoiceMeRoute {
	readonly access = "customers:write";
	readonly roles = ["SYSADMIN", "ACCOUNTANT", "SALES"] as const;
	override schema = {
		tags: ["InvoiceMe"],
		summary: "Create a customer",
		operationId: "invoiceMeCreateCustomer",
		request: { body: { content: contentJson(customerCreate), required: true } },
		responses: {
			"201": { description: "The customer", content: contentJson(customerSchema) },
			"400": problem("Validation error"),
			"409": problem("The email is taken"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		await assertEmailFree(c, body.email);
		const row = await createCustomer({
			ctx: tenantContext(c),
			input: {
				name: body.companyName,
				email: body.email,
				billing_address: body.address && toAddress(body.address),
				payment_terms: "net30",
				metadata: metadataOf({ ...body, status: "ACTIVE" }),
			},
		});
		return c.json(presentCustomer({ ...row, outstanding: 0, credit: 0 }), 201);
	}
}

export class CustomerGet extends InvoiceMeRoute {
	readonly access = "customers:read";
	readonly roles = ["SYSADMIN", "ACCOUNTANT", "SALES", "CUSTOMER"] as const;
	protected override readonly ownership = ownCustomer;
	override schema = {
		tags: ["InvoiceMe"],
		summary: "Get a customer",
		operationId: "invoiceMeGetCustomer",
		request: { params: idParam },
		responses: {
			"200": { description: "The customer", content: contentJson(customerSchema) },
			"404": problem("No such customer"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(presentCustomer(await standingOf(c, params.id)));
	}
}

const sortable = { companyName: "name", email: "email", createdAt: "created_at", creditBalance: "credit" } as const;

export class CustomerList extends InvoiceMeRoute {
	readonly access = "customers:read";
	readonly roles = ["SYSADMIN", "ACCOUNTANT", "SALES"] as const;
	override schema = {
		tags: ["InvoiceMe"],
		summary: "List customers",
		operationId: "invoiceMeListCustomers",
		request: {
			query: z.object({
				...pageQuery,
				status: z.enum(accountStatuses).optional(),
				customerType: z.enum(customerTypes).optional(),
				search: z.string().trim().min(1).max(40).optional(),
				hasOutstandingBalance: z.enum(["true", "false"]).optional(),
			}),
		},
		responses: {
			"200": {
				description: "A page of customers",
				content: contentJson(z.object({ content: z.array(customerSchema) })),
			},
		},
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		const sort = parseSort(query.sort, Object.keys(sortable), { field: "createdAt", direction: "desc" });
		const { content, total } = await customerStanding({
			ctx: tenantContext(c),
			query: {
				search: query.search,
				metadata: metadataOf({ customerType: query.customerType, status: query.status }),
				hasOutstanding: query.hasOutstandingBalance === undefined ? undefined : query.hasOutstandingBalance === "true",
				sort: { by: sortable[sort.field as keyof typeof sortable], direction: sort.direction },
				offset: query.page * query.size,
				limit: query.size,
			},
		});
		return c.json(springPage(content.map(presentCustomer), total, query.page, query.size, sort));
	}
}

export class CustomerUpdate extends InvoiceMeRoute {
	readonly access = "customers:write";
	readonly roles = ["SYSADMIN", "ACCOUNTANT"] as const;
	override schema = {
		tags: ["InvoiceMe"],
		summary: "Update a customer",
		operationId: "invoiceMeUpdateCustomer",
		request: { params: idParam, body: { content: contentJson(customerUpdate), required: true } },
		responses: {
			"200": { description: "The customer", content: contentJson(customerSchema) },
			"400": problem("Validation error"),
			"404": problem("No such customer"),
			"409": problem("The email is taken"),
		},
	};

	override async handle(c: AppContext) {
		const { params, body } = await this.getValidatedData<typeof this.schema>();
		const current = await standingOf(c, params.id);
		if (body.email) await assertEmailFree(c, body.email, params.id);
		await updateCustomer({
			ctx: tenantContext(c),
			id: params.id,
			patch: {
				name: body.companyName,
				email: body.email,
				billing_address: body.address && toAddress(body.address),
				metadata: { ...current.metadata, ...metadataOf(body) },
			},
		});
		return c.json(presentCustomer(await standingOf(c, params.id)));
	}
}

export class CustomerDelete extends InvoiceMeRoute {
	readonly access = "customers:write";
	readonly roles = ["SYSADMIN"] as const;
	override schema = {
		tags: ["InvoiceMe"],
		summary: "Delete a customer",
		operationId: "invoiceMeDeleteCustomer",
		request: { params: idParam },
		responses: {
			"204": { description: "Deleted" },
			"400": problem("The customer has an outstanding balance"),
			"404": problem("No such customer"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		const current = await standingOf(c, params.id);
		if (current.outstanding > 0) {
			throw new AppError(
				"invalid_state",
				`Customer ${params.id} has an outstanding balance of ${decimalOut(current.outstanding, current.currency)}.`,
			);
		}
		await deleteCustomer({ ctx: tenantContext(c), id: params.id, hard: false });
		return c.body(null, 204);
	}
}
