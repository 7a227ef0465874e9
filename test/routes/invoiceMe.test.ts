import { describe, expect, it } from "vitest";
import { api } from "../helpers/api";
import { freshAddress, login, newUser, newUserTenant, PASSWORD } from "../helpers/users";

type Res = { status: number; body: any; headers: Headers; text: string };

function expectProblem(res: Res, status: number) {
	if (res.status !== status) throw new Error(`expected ${status}, got ${res.status} ${res.text}`);
	expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
	expect(Date.parse(res.body.timestamp)).not.toBeNaN();
	return res.body;
}

const ok = (res: Res, status = 200) => {
	if (res.status !== status) throw new Error(`expected ${status}, got ${res.status} ${res.text}`);
	return res.body;
};

const newCustomer = async (token: string, overrides: Record<string, unknown> = {}) =>
	ok(
		await api("/api/v1/customers", {
			key: token,
			body: { companyName: "Acme Corp", email: `ap-${crypto.randomUUID()}@acme.example`, ...overrides },
		}),
		201,
	);

const line = (overrides: Record<string, unknown> = {}) => ({
	description: "Service",
	quantity: 2,
	unitPrice: "50.00",
	discountType: "PERCENTAGE",
	discountValue: "10",
	taxRate: "10",
	...overrides,
});

const newInvoice = async (token: string, customerId: string, lineItems = [line()]) =>
	ok(await api("/api/v1/invoices", { key: token, body: { customerId, paymentTerms: "NET_30", lineItems } }), 201);

const send = async (token: string, id: string) =>
	ok(await api(`/api/v1/invoices/${id}/mark-as-sent`, { method: "PATCH", key: token }));

const pay = (token: string, invoiceId: string, amount: string) =>
	api("/api/v1/payments", {
		key: token,
		body: { invoiceId, amount, paymentMethod: "ACH", paymentDate: new Date().toISOString().slice(0, 10) },
	});

describe("the InvoiceMe flow", () => {
	it("register → approve → login → customer → invoice → sent → overpay → refund part → dashboard", async () => {
		const { tenantId, admin } = await newUserTenant("USD");
		const email = `acct-${crypto.randomUUID()}@example.com`;
		const registered = ok(
			await api("/api/v1/auth/register", {
				body: { email, password: PASSWORD, fullName: "Ann Accountant", role: "ACCOUNTANT" },
				headers: { "x-tenant-id": tenantId },
			}),
			201,
		);
		expect(registered.status).toBe("PENDING");
		const pending = ok(await api("/api/v1/users/pending", { key: admin.token }));
		expect(pending.users.map((u: { email: string }) => u.email)).toEqual([email]);
		ok(await api(`/api/v1/users/${registered.id}/approve`, { method: "PATCH", key: admin.token }));
		const token = await login(tenantId, email);

		const customer = await newCustomer(token, { contactName: "Jo", phone: "+1 555 0100", customerType: "COMMERCIAL" });
		expect(customer).toMatchObject({
			companyName: "Acme Corp",
			creditBalance: "0.00",
			status: "ACTIVE",
			currency: "USD",
		});

		const draft = await newInvoice(token, customer.id);
		expect(draft).toMatchObject({
			status: "DRAFT",
			invoiceNumber: null,
			subtotal: "100.00",
			discountAmount: "10.00",
			taxAmount: "9.00",
			totalAmount: "99.00",
			balanceDue: "99.00",
		});
		expect(draft.lineItems[0]).toMatchObject({
			discountType: "PERCENTAGE",
			discountValue: "10",
			taxRate: "10",
			total: "99.00",
		});

		const sent = await send(token, draft.id);
		expect(sent.status).toBe("SENT");
		expect(sent.invoiceNumber).toMatch(new RegExp(`^INV-${new Date().getUTCFullYear()}-\\d{4}$`));

		const payment = ok(await pay(token, draft.id, "120.00"), 201);
		expect(payment).toMatchObject({
			invoiceId: draft.id,
			invoiceNumber: sent.invoiceNumber,
			amount: "120.00",
			status: "COMPLETED",
			customerName: "Acme Corp",
		});
		const paid = ok(await api(`/api/v1/invoices/${draft.id}`, { key: token }));
		expect(paid).toMatchObject({ status: "PAID", amountPaid: "99.00", balanceDue: "0.00" });
		expect(paid.payments).toEqual([{ paymentId: payment.id, amount: "99.00", appliedAt: expect.any(String) }]);
		expect(ok(await api(`/api/v1/customers/${customer.id}`, { key: token })).creditBalance).toBe("21.00");

		const refund = ok(
			await api("/api/v1/refunds", {
				key: token,
				body: { invoiceId: draft.id, amount: "30.00", reason: "Goodwill", applyAsCredit: false },
			}),
			201,
		);
		expect(refund).toMatchObject({ invoiceId: draft.id, amount: "30.00", status: "COMPLETED" });
		const reopened = ok(await api(`/api/v1/invoices/${draft.id}`, { key: token }));
		expect(reopened).toMatchObject({ status: "SENT", amountPaid: "69.00", balanceDue: "30.00" });
		expect(ok(await api(`/api/v1/customers/${customer.id}`, { key: token }))).toMatchObject({
			creditBalance: "21.00",
			outstandingBalance: "30.00",
		});

		expect(ok(await api("/api/v1/dashboard/metrics", { key: token }))).toEqual({
			revenueMonthToDate: "69.00",
			outstandingInvoices: "30.00",
			activeCustomers: 1,
			invoicesSentThisMonth: 1,
			invoicesPaidThisMonth: 0,
			averageDaysToPay: 0,
		});
		const status = ok(await api("/api/v1/dashboard/invoice-status", { key: token }));
		expect(status.sent).toEqual({ count: 1, totalAmount: "99.00" });
		expect(status.paid).toEqual({ count: 0, totalAmount: "0.00" });
		const aging = ok(await api("/api/v1/dashboard/aging-report", { key: token }));
		expect(aging.current).toEqual({ count: 1, totalAmount: "30.00" });
		expect(aging.over90).toEqual({ count: 0, totalAmount: "0.00" });
		const trend = ok(await api("/api/v1/dashboard/revenue-trend?months=3", { key: token }));
		expect(trend.data).toHaveLength(3);
		expect(trend.data[2]).toEqual({ month: new Date().toISOString().slice(0, 7), revenue: "69.00", invoiceCount: 1 });
	});
});

describe("customers", () => {
	it("lists with search, type, status, outstanding balance and sort, as Spring pages", async () => {
		const { admin } = await newUserTenant();
		const a = await newCustomer(admin.token, { companyName: "Alpha Insurance", customerType: "INSURANCE" });
		const b = await newCustomer(admin.token, { companyName: "Beta Homes", customerType: "RESIDENTIAL" });
		const invoice = await newInvoice(admin.token, b.id);
		await send(admin.token, invoice.id);
		const page = ok(await api("/api/v1/customers?sort=companyName,asc&size=1", { key: admin.token }));
		expect(page).toMatchObject({
			totalElements: 2,
			totalPages: 2,
			size: 1,
			number: 0,
			first: true,
			last: false,
			numberOfElements: 1,
		});
		expect(page.content[0].companyName).toBe("Alpha Insurance");
		const ids = async (query: string) =>
			ok(await api(`/api/v1/customers?${query}`, { key: admin.token })).content.map((c: { id: string }) => c.id);
		expect(await ids("search=beta")).toEqual([b.id]);
		expect(await ids("customerType=INSURANCE")).toEqual([a.id]);
		expect(await ids("hasOutstandingBalance=true")).toEqual([b.id]);
		expect(await ids("hasOutstandingBalance=false")).toEqual([a.id]);
		expect(await ids("sort=companyName,desc")).toEqual([b.id, a.id]);
		expectProblem(await api("/api/v1/customers?sort=password,asc", { key: admin.token }), 400);
	});

	it("updates, refuses a taken email with 409, and deletes only without an outstanding balance", async () => {
		const { admin } = await newUserTenant();
		const a = await newCustomer(admin.token);
		const b = await newCustomer(admin.token);
		const updated = ok(
			await api(`/api/v1/customers/${a.id}`, {
				method: "PUT",
				key: admin.token,
				body: { phone: "+49 30 1234", status: "SUSPENDED" },
			}),
		);
		expect(updated).toMatchObject({ phone: "+49 30 1234", status: "SUSPENDED", companyName: "Acme Corp" });
		// Its own answer, not the canonical update's, is what a retry with the same key replays.
		const keyed = {
			method: "PUT",
			key: admin.token,
			body: { phone: "+49 30 9999" },
			headers: { "Idempotency-Key": "put-1" },
		};
		const first = await api(`/api/v1/customers/${a.id}`, keyed);
		const replay = await api(`/api/v1/customers/${a.id}`, keyed);
		expect(first.status).toBe(200);
		expect(replay.headers.get("idempotent-replayed")).toBe("true");
		expect(replay.text).toBe(first.text);
		expectProblem(
			await api(`/api/v1/customers/${a.id}`, { method: "PUT", key: admin.token, body: { email: b.email } }),
			409,
		);
		expectProblem(
			await api("/api/v1/customers", { key: admin.token, body: { companyName: "Dup", email: b.email } }),
			409,
		);

		const invoice = await newInvoice(admin.token, b.id);
		await send(admin.token, invoice.id);
		const refused = expectProblem(await api(`/api/v1/customers/${b.id}`, { method: "DELETE", key: admin.token }), 400);
		expect(refused.detail).toMatch(/outstanding/);
		expect((await api(`/api/v1/customers/${a.id}`, { method: "DELETE", key: admin.token })).status).toBe(204);
		expectProblem(await api("/api/v1/customers/cus_0000000000000000000000000Z", { key: admin.token }), 404);
		// An id that is no customer id at all is refused naming the path parameter.
		const malformed = expectProblem(await api("/api/v1/customers/cus_missing", { key: admin.token }), 400);
		expect(malformed.errors).toEqual([expect.objectContaining({ location: "path", field: "id" })]);
	});
});

describe("invoices", () => {
	it("refuses a decimal with more places than the currency, naming the field", async () => {
		const { admin } = await newUserTenant("JPY");
		const customer = await newCustomer(admin.token);
		const res = await api("/api/v1/invoices", {
			key: admin.token,
			body: { customerId: customer.id, lineItems: [line({ unitPrice: "100.5" })] },
		});
		expect(expectProblem(res, 400).errors).toEqual([
			{ location: "body", field: "lineItems.0.unitPrice", message: expect.stringMatching(/0 decimal places/) },
		]);
		const rate = await api("/api/v1/invoices", {
			key: admin.token,
			body: { customerId: customer.id, lineItems: [line({ unitPrice: "100", taxRate: "101" })] },
		});
		expect(expectProblem(rate, 400).errors[0].field).toBe("lineItems.0.taxRate");
		expectProblem(
			await api("/api/v1/invoices", { key: admin.token, body: { customerId: "cus_missing", lineItems: [line()] } }),
			404,
		);
	});

	it("numbers sent invoices INV-YYYY-#### without gaps, updates drafts under optimistic locking, and cancels", async () => {
		const { admin } = await newUserTenant();
		const customer = await newCustomer(admin.token);
		const first = await newInvoice(admin.token, customer.id);
		const second = await newInvoice(admin.token, customer.id);
		const stale = await api(`/api/v1/invoices/${first.id}`, {
			method: "PUT",
			key: admin.token,
			body: { lineItems: [line({ unitPrice: "10.00" })], version: first.version + 1 },
		});
		expectProblem(stale, 409);
		const updated = ok(
			await api(`/api/v1/invoices/${first.id}`, {
				method: "PUT",
				key: admin.token,
				body: {
					lineItems: [line({ unitPrice: "10.00", discountType: "FIXED", discountValue: "1.00" })],
					notes: "Thanks",
					version: first.version,
				},
			}),
		);
		expect(updated).toMatchObject({
			subtotal: "20.00",
			discountAmount: "1.00",
			taxAmount: "1.90",
			totalAmount: "20.90",
			notes: "Thanks",
		});
		// Deleting a draft leaves no gap: numbers are taken when invoices are sent.
		expect((await api(`/api/v1/invoices/${second.id}`, { method: "DELETE", key: admin.token })).status).toBe(204);
		expectProblem(await api(`/api/v1/invoices/${second.id}`, { key: admin.token }), 404);
		const third = await newInvoice(admin.token, customer.id);
		const a = await send(admin.token, first.id);
		const b = await send(admin.token, third.id);
		const year = new Date().getUTCFullYear();
		expect([a.invoiceNumber, b.invoiceNumber]).toEqual([`INV-${year}-0001`, `INV-${year}-0002`]);
		expectProblem(await api(`/api/v1/invoices/${first.id}/mark-as-sent`, { method: "PATCH", key: admin.token }), 400);
		expectProblem(
			await api(`/api/v1/invoices/${first.id}`, { method: "PUT", key: admin.token, body: { lineItems: [line()] } }),
			400,
		);
		expect((await api(`/api/v1/invoices/${third.id}`, { method: "DELETE", key: admin.token })).status).toBe(204);
		expect(ok(await api(`/api/v1/invoices/${third.id}`, { key: admin.token })).status).toBe("CANCELLED");
		ok(await pay(admin.token, first.id, "5.00"), 201);
		expectProblem(await api(`/api/v1/invoices/${first.id}`, { method: "DELETE", key: admin.token }), 400);
	});

	it("lists with status, search, due dates and customer, as Spring pages", async () => {
		const { admin } = await newUserTenant();
		const acme = await newCustomer(admin.token, { companyName: "Acme Corp" });
		const zeta = await newCustomer(admin.token, { companyName: "Zeta Ltd" });
		const draft = await newInvoice(admin.token, acme.id);
		const sent = await send(admin.token, (await newInvoice(admin.token, zeta.id)).id);
		const ids = async (query: string) =>
			ok(await api(`/api/v1/invoices?${query}`, { key: admin.token })).content.map((i: { id: string }) => i.id);
		expect(await ids("status=DRAFT")).toEqual([draft.id]);
		expect(await ids("status=SENT")).toEqual([sent.id]);
		expect(await ids("status=OVERDUE")).toEqual([]);
		expect(await ids("search=zeta")).toEqual([sent.id]);
		expect(await ids(`search=${sent.invoiceNumber}`)).toEqual([sent.id]);
		expect(await ids(`customerId=${acme.id}`)).toEqual([draft.id]);
		expect(await ids(`dueDateFrom=${sent.dueDate}&dueDateTo=${sent.dueDate}`)).toEqual([sent.id]);
		const page = ok(await api("/api/v1/invoices?page=0&size=1&sort=createdAt,asc", { key: admin.token }));
		expect(page).toMatchObject({ totalElements: 2, totalPages: 2, numberOfElements: 1, first: true, last: false });
		expect(page.content[0].id).toBe(draft.id);
		expectProblem(await api("/api/v1/invoices?dueDateFrom=tomorrow", { key: admin.token }), 400);
	});
});

describe("payments and refunds", () => {
	it("accept payments only on SENT or OVERDUE invoices, positive and within the currency's places", async () => {
		const { admin } = await newUserTenant();
		const customer = await newCustomer(admin.token);
		const draft = await newInvoice(admin.token, customer.id);
		expectProblem(await pay(admin.token, draft.id, "10.00"), 400);
		await send(admin.token, draft.id);
		expect(expectProblem(await pay(admin.token, draft.id, "0"), 400).errors[0].field).toBe("amount");
		expect(expectProblem(await pay(admin.token, draft.id, "1.005"), 400).errors[0].field).toBe("amount");
		expectProblem(await pay(admin.token, "inv_missing", "1.00"), 404);
		const exact = ok(await pay(admin.token, draft.id, "99.00"), 201);
		expect(ok(await api(`/api/v1/invoices/${draft.id}`, { key: admin.token })).status).toBe("PAID");
		expectProblem(await pay(admin.token, draft.id, "1.00"), 400);
		expect(ok(await api(`/api/v1/payments/${exact.id}`, { key: admin.token })).amount).toBe("99.00");
		const list = ok(
			await api(`/api/v1/payments?invoiceId=${draft.id}&paymentMethod=ACH&status=COMPLETED`, { key: admin.token }),
		);
		expect(list.content.map((p: { id: string }) => p.id)).toEqual([exact.id]);
		expect(ok(await api("/api/v1/payments?status=FAILED", { key: admin.token })).totalElements).toBe(0);
		expectProblem(await api("/api/v1/payments/pay_0000000000000000000000000Z", { key: admin.token }), 404);
	});

	it("record a retried payment (same Idempotency-Key) once", async () => {
		const { admin } = await newUserTenant();
		const customer = await newCustomer(admin.token);
		const invoice = await newInvoice(admin.token, customer.id);
		await send(admin.token, invoice.id);
		const paying = () =>
			api("/api/v1/payments", {
				key: admin.token,
				headers: { "idempotency-key": `pay-${invoice.id}` },
				body: {
					invoiceId: invoice.id,
					amount: "40.00",
					paymentMethod: "CREDIT_CARD",
					paymentDate: new Date().toISOString().slice(0, 10),
				},
			});
		const first = ok(await paying(), 201);
		const again = await paying();
		expect(again.status).toBe(201);
		expect(again.body.id).toBe(first.id);
		const listed = ok(await api(`/api/v1/payments?invoiceId=${invoice.id}`, { key: admin.token }));
		expect(listed.totalElements).toBe(1);
		expect(ok(await api(`/api/v1/invoices/${invoice.id}`, { key: admin.token })).balanceDue).toBe("59.00");
	});

	it("refund only PAID invoices, at most what was paid, and can turn the money into credit", async () => {
		const { admin } = await newUserTenant();
		const customer = await newCustomer(admin.token);
		const invoice = await newInvoice(admin.token, customer.id);
		await send(admin.token, invoice.id);
		const refund = (amount: string, applyAsCredit = false) =>
			api("/api/v1/refunds", { key: admin.token, body: { invoiceId: invoice.id, amount, reason: "r", applyAsCredit } });
		expectProblem(await refund("1.00"), 400);
		ok(await pay(admin.token, invoice.id, "99.00"), 201);
		expect(expectProblem(await refund("99.01"), 400).errors[0].field).toBe("amount");
		ok(await refund("9.00", true), 201);
		const after = ok(await api(`/api/v1/invoices/${invoice.id}`, { key: admin.token }));
		expect(after).toMatchObject({ status: "SENT", balanceDue: "9.00", amountPaid: "90.00" });
		expect(ok(await api(`/api/v1/customers/${customer.id}`, { key: admin.token })).creditBalance).toBe("9.00");
	});
});

describe("customer users on InvoiceMe", () => {
	it("see only their own customer and invoices (404 for others'), and pay their own", async () => {
		const { tenantId, admin } = await newUserTenant();
		const mine = await newCustomer(admin.token);
		const theirs = await newCustomer(admin.token);
		const myInvoice = await send(admin.token, (await newInvoice(admin.token, mine.id)).id);
		const theirInvoice = await send(admin.token, (await newInvoice(admin.token, theirs.id)).id);
		const user = await newUser(tenantId, "CUSTOMER", { customerId: mine.id });
		expect(ok(await api(`/api/v1/customers/${mine.id}`, { key: user.token })).id).toBe(mine.id);
		expectProblem(await api(`/api/v1/customers/${theirs.id}`, { key: user.token }), 404);
		expect(ok(await api(`/api/v1/invoices/${myInvoice.id}`, { key: user.token })).id).toBe(myInvoice.id);
		expectProblem(await api(`/api/v1/invoices/${theirInvoice.id}`, { key: user.token }), 404);
		const list = ok(await api("/api/v1/invoices", { key: user.token }));
		expect(list.content.map((i: { id: string }) => i.id)).toEqual([myInvoice.id]);
		expectProblem(await api(`/api/v1/invoices?customerId=${theirs.id}`, { key: user.token }), 404);
		expectProblem(await pay(user.token, theirInvoice.id, "1.00"), 404);
		ok(await pay(user.token, myInvoice.id, "1.00"), 201);
		expect(freshAddress()).toBeTruthy();
	});
});

describe("an invoice's PDF URL", () => {
	it("downloads with the user's token, and a CUSTOMER user's only for its own customer's invoices", async () => {
		const { tenantId, admin } = await newUserTenant("USD");
		const mine = await newCustomer(admin.token);
		const theirs = await newCustomer(admin.token);
		const own = await send(admin.token, (await newInvoice(admin.token, mine.id)).id);
		const other = await send(admin.token, (await newInvoice(admin.token, theirs.id)).id);
		expect(own.pdfUrl).toBe(`/v1/billing/invoices/${own.id}/pdf`);
		const customer = await newUser(tenantId, "CUSTOMER", { customerId: mine.id });
		for (const token of [admin.token, customer.token]) {
			const pdf = await api(own.pdfUrl, { key: token });
			expect(pdf.status).toBe(200);
			expect(pdf.headers.get("content-type")).toBe("application/pdf");
		}
		expect((await api(other.pdfUrl, { key: customer.token })).status).toBe(404);
	});
});
