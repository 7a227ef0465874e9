import { describe, expect, it } from "vitest";
import { api, expectProblem, newCustomer, newKey, newTenant } from "../helpers/api";
import { newInvoice, sampleItems } from "../helpers/invoices";

const today = () => new Date().toISOString().slice(0, 10);

describe("invoice creation and totals", () => {
	it("creates a draft with exact totals, then finalizes it with a number", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const draft = await newInvoice(key, customer.id);
		expect(draft).toMatchObject({
			status: "draft",
			number: null,
			currency: "EUR",
			subtotal: 35000,
			discount_total: 3000,
			tax_total: 6080,
			total: 38080,
			balance: 38080,
			display_amounts: { total: "380.80", balance: "380.80" },
		});
		expect(draft.lines[0]).toMatchObject({
			quantity: "2.5",
			amount: 30000,
			discount_amount: 3000,
			net_amount: 27000,
			tax_amount: 5130,
		});
		expect(draft.tax_lines).toMatchObject([{ jurisdiction: "DE", rate: "19", taxable_amount: 32000, amount: 6080 }]);
		const final = await api(`/v1/billing/invoices/${draft.id}/finalize`, { key, method: "POST" });
		expect(final.status).toBe(200);
		expect(final.body).toMatchObject({ status: "issued", issue_date: today(), balance: 38080 });
		expect(final.body.number).toBe(`INV-${today().slice(0, 4)}-0001`);
		// net30 from the customer: due thirty days after issue.
		const due = new Date(`${today()}T00:00:00Z`);
		due.setUTCDate(due.getUTCDate() + 30);
		expect(final.body.due_date).toBe(due.toISOString().slice(0, 10));
	});

	it("computes in currencies with 0, 2 and 3 decimals, with several taxes per line", async () => {
		const { key } = await newTenant("JPY");
		const yen = await newCustomer(key, { currency: "JPY" });
		const jpy = await newInvoice(key, yen.id, {
			items: [{ description: "Widget", quantity: 3, unit_price: 333, taxes: [{ jurisdiction: "JP", rate: 10 }] }],
		});
		expect(jpy).toMatchObject({ currency: "JPY", subtotal: 999, tax_total: 100, total: 1099 });
		expect(jpy.display_amounts.total).toBe("1099");

		const kwd = await newInvoice(key, yen.id, {
			currency: "KWD",
			items: [{ description: "Service", quantity: "1.5", unit_price: 1234 }],
		});
		expect(kwd).toMatchObject({ currency: "KWD", subtotal: 1851, total: 1851 });
		expect(kwd.display_amounts.total).toBe("1.851");

		const usd = await newInvoice(key, yen.id, {
			currency: "USD",
			items: [
				{
					description: "Taxable good",
					quantity: 1,
					unit_price: 10000,
					discounts: [
						{ type: "amount", amount: 1000 },
						{ type: "percent", percent: "12.5" },
					],
					taxes: [
						{ jurisdiction: "US-NY", rate: 4 },
						{ jurisdiction: "US-NY-NYC", rate: "4.875" },
					],
				},
			],
		});
		// 10000 − 1000 − 1250 = 7750; 4 % = 310; 4.875 % = 377.8125 → 378.
		expect(usd).toMatchObject({ subtotal: 10000, discount_total: 2250, tax_total: 688, total: 8438 });
		expect(usd.tax_lines).toMatchObject([
			{ jurisdiction: "US-NY", rate: "4", taxable_amount: 7750, amount: 310 },
			{ jurisdiction: "US-NY-NYC", rate: "4.875", taxable_amount: 7750, amount: 378 },
		]);
	});

	it("rejects bad items with the field named, and discounts larger than the line", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const cases: [unknown, string][] = [
			[[], "items"],
			[[{ description: "x", unit_price: -1 }], "items.0.unit_price"],
			[[{ description: "x", unit_price: 1.5 }], "items.0.unit_price"],
			[[{ description: "x", unit_price: 100, quantity: 0 }], "items.0.quantity"],
			[[{ description: "x", unit_price: 100, quantity: "1.0000001" }], "items.0.quantity"],
			[[{ description: "x", unit_price: 100, taxes: [{ jurisdiction: "DE", rate: 101 }] }], "items.0.taxes.0.rate"],
			[
				[{ description: "x", unit_price: 100, discounts: [{ type: "percent", percent: 10, extra: 1 }] }],
				"items.0.discounts.0.extra",
			],
			[[{ description: "", unit_price: 100 }], "items.0.description"],
			[[{ description: "x", unit_price: 100, discounts: [{ type: "amount", amount: 101 }] }], "items.0.discounts"],
			[
				[
					{
						description: "x",
						unit_price: 100,
						taxes: [
							{ jurisdiction: "DE", rate: 19 },
							{ jurisdiction: "DE", rate: 7 },
						],
					},
				],
				"items.0.taxes",
			],
		];
		for (const [items, field] of cases) {
			const res = await api("/v1/billing/invoices", { key, body: { customer_id: customer.id, items } });
			const problem = expectProblem(res, 422, "validation_failed");
			expect(problem.errors.map((e: { field: string }) => e.field)).toContain(field);
		}
		const unknownCustomer = await api("/v1/billing/invoices", {
			key,
			body: { customer_id: "cus_01JD3Q8W5Z9K2M4N6P8R0T2V4X", items: sampleItems },
		});
		expect(expectProblem(unknownCustomer, 422, "validation_failed").errors[0].field).toBe("customer_id");
		// Created and finalized at once, the account object checks the customer: the same answer, and
		// another tenant's customer is as unknown as a made-up one.
		const otherTenantsCustomer = await newCustomer((await newTenant()).key);
		for (const customer_id of ["cus_01JD3Q8W5Z9K2M4N6P8R0T2V4X", otherTenantsCustomer.id]) {
			const res = await api("/v1/billing/invoices", { key, body: { customer_id, items: sampleItems, finalize: true } });
			expect(expectProblem(res, 422, "validation_failed").errors[0].field).toBe("customer_id");
		}
		const badDates = await api("/v1/billing/invoices", {
			key,
			body: { customer_id: customer.id, items: sampleItems, issue_date: "2026-03-10", due_date: "2026-03-01" },
		});
		expect(expectProblem(badDates, 422, "validation_failed").errors[0].field).toBe("due_date");
	});

	it("creates and finalizes in one call, with audit and events", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const invoice = await newInvoice(key, customer.id, { finalize: true });
		expect(invoice.status).toBe("issued");
		expect(invoice.number).toMatch(/-0001$/);
		const history = await api(`/v1/billing/invoices/${invoice.id}/history`, { key });
		expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(["invoice.created", "invoice.finalized"]);
		expect(history.body.audit.map((a: { action: string }) => a.action)).toEqual([
			"invoice.created",
			"invoice.finalized",
		]);
		expect(history.body.audit[1].after.number).toBe(invoice.number);
		expect(history.body.events[1].data.object.number).toBe(invoice.number);
	});

	it("a zero-total invoice is paid on finalize", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const invoice = await newInvoice(key, customer.id, {
			finalize: true,
			items: [{ description: "Free trial", unit_price: 0 }],
		});
		expect(invoice).toMatchObject({ status: "paid", total: 0, balance: 0 });
		const history = await api(`/v1/billing/invoices/${invoice.id}/history`, { key });
		expect(history.body.events.map((e: { type: string }) => e.type)).toContain("invoice.paid");
	});

	it("previews without persisting anything", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const res = await api("/v1/billing/invoices/preview", {
			key,
			body: { customer_id: customer.id, items: sampleItems, finalize: true },
		});
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ id: null, number: null, status: "issued", total: 38080 });
		const list = await api("/v1/billing/invoices", { key });
		expect(list.body.data).toHaveLength(0);
		const audit = await api("/v1/billing/audit?action=invoice.created", { key });
		expect(audit.body.data).toHaveLength(0);
	});

	it("refuses to invoice a deleted customer", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		await api(`/v1/billing/customers/${customer.id}`, { key, method: "DELETE" });
		const res = await api("/v1/billing/invoices", { key, body: { customer_id: customer.id, items: sampleItems } });
		expectProblem(res, 409, "invalid_state");
	});
});

describe("invoice lifecycle", () => {
	it("voids an issued invoice, and refuses illegal transitions naming the current status", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const draft = await newInvoice(key, customer.id);
		expect(
			expectProblem(await api(`/v1/billing/invoices/${draft.id}/void`, { key, method: "POST" }), 409, "invalid_state")
				.current_status,
		).toBe("draft");
		expectProblem(
			await api(`/v1/billing/invoices/${draft.id}/writeoff`, { key, body: { reason: "x" } }),
			409,
			"invalid_state",
		);
		expectProblem(await api(`/v1/billing/invoices/${draft.id}/send`, { key, method: "POST" }), 409, "invalid_state");

		await api(`/v1/billing/invoices/${draft.id}/finalize`, { key, method: "POST" });
		const voided = await api(`/v1/billing/invoices/${draft.id}/void`, { key, body: { reason: "Duplicate" } });
		expect(voided.status).toBe(200);
		expect(voided.body).toMatchObject({ status: "voided", balance: 0, void_reason: "Duplicate" });
		for (const action of ["void", "finalize"]) {
			const res = await api(`/v1/billing/invoices/${draft.id}/${action}`, { key, method: "POST" });
			expect(expectProblem(res, 409, "invalid_state").current_status).toBe("voided");
		}
		expectProblem(await api(`/v1/billing/invoices/${draft.id}`, { key, method: "DELETE" }), 409, "invalid_state");
		expectProblem(
			await api(`/v1/billing/invoices/${draft.id}`, { key, method: "PATCH", body: { memo: "x" } }),
			409,
			"invalid_state",
		);
	});

	it("writes off the remaining balance with a reason", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const invoice = await newInvoice(key, customer.id, { finalize: true });
		const missingReason = await api(`/v1/billing/invoices/${invoice.id}/writeoff`, { key, body: {} });
		expect(expectProblem(missingReason, 422, "validation_failed").errors[0].field).toBe("reason");
		const res = await api(`/v1/billing/invoices/${invoice.id}/writeoff`, { key, body: { reason: "Insolvent" } });
		expect(res.body).toMatchObject({
			status: "written_off",
			balance: 0,
			amount_written_off: 38080,
			write_off_reason: "Insolvent",
		});
		expectProblem(await api(`/v1/billing/invoices/${invoice.id}/void`, { key, method: "POST" }), 409, "invalid_state");
	});

	it("edits and deletes drafts only, under optimistic concurrency", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const draft = await newInvoice(key, customer.id);
		const edited = await api(`/v1/billing/invoices/${draft.id}`, {
			key,
			method: "PATCH",
			headers: { "If-Match": '"1"' },
			body: { memo: "Edited", items: [{ description: "Only line", unit_price: 1000 }] },
		});
		expect(edited.status).toBe(200);
		expect(edited.body).toMatchObject({ memo: "Edited", version: 2, total: 1000 });
		expect(edited.body.lines).toHaveLength(1);
		expect(edited.headers.get("etag")).toBe('"2"');

		const stale = await api(`/v1/billing/invoices/${draft.id}`, {
			key,
			method: "PATCH",
			headers: { "If-Match": '"1"' },
			body: { memo: "Stale" },
		});
		expectProblem(stale, 412, "precondition_failed");
		const staleBody = await api(`/v1/billing/invoices/${draft.id}`, {
			key,
			method: "PATCH",
			body: { memo: "Stale", version: 1 },
		});
		expectProblem(staleBody, 409, "version_conflict");

		const racers = await Promise.all(
			["A", "B", "C"].map((memo) =>
				api(`/v1/billing/invoices/${draft.id}`, { key, method: "PATCH", body: { memo, version: 2 } }),
			),
		);
		expect(racers.filter((r) => r.status === 200)).toHaveLength(1);
		expect(racers.filter((r) => r.status === 409)).toHaveLength(2);

		expect((await api(`/v1/billing/invoices/${draft.id}`, { key, method: "DELETE" })).status).toBe(204);
		expectProblem(await api(`/v1/billing/invoices/${draft.id}`, { key }), 404, "not_found");
	});

	it("sends and reminds, recording each delivery, and why the ones without a connector could not be", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key, { email: "ap@acme.example" });
		const invoice = await newInvoice(key, customer.id, { finalize: true });
		const sent = await api(`/v1/billing/invoices/${invoice.id}/send`, { key, body: { channels: ["email", "erp"] } });
		expect(sent.status).toBe(200);
		expect(sent.body.deliveries).toHaveLength(2);
		expect(sent.body.deliveries[0]).toMatchObject({
			channel: "email",
			status: "sent",
			recipient: "ap@acme.example",
		});
		expect(sent.body.deliveries[1]).toMatchObject({ channel: "erp", status: "undeliverable" });
		const reminded = await api(`/v1/billing/invoices/${invoice.id}/remind`, { key, method: "POST" });
		expect(reminded.body.deliveries.map((d: { kind: string }) => d.kind)).toEqual(["invoice", "invoice", "reminder"]);
		const history = await api(`/v1/billing/invoices/${invoice.id}/history`, { key });
		expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(
			expect.arrayContaining(["invoice.sent", "invoice.reminder_sent"]),
		);
		await api(`/v1/billing/invoices/${invoice.id}/writeoff`, { key, body: { reason: "x" } });
		expectProblem(
			await api(`/v1/billing/invoices/${invoice.id}/remind`, { key, method: "POST" }),
			409,
			"invalid_state",
		);
	});

	it("keeps invoices of one tenant invisible to another, and checks permissions", async () => {
		const a = await newTenant();
		const b = await newTenant();
		const invoice = await newInvoice(a.key, (await newCustomer(a.key)).id);
		for (const [method, suffix] of [
			["GET", ""],
			["PATCH", ""],
			["DELETE", ""],
			["POST", "/finalize"],
			["POST", "/void"],
			["GET", "/history"],
		] as const) {
			const res = await api(`/v1/billing/invoices/${invoice.id}${suffix}`, {
				key: b.key,
				method,
				...(method === "PATCH" ? { body: { memo: "x" } } : {}),
			});
			expectProblem(res, 404, "not_found");
		}
		const reader = await newKey(a.key, "billing_reader");
		expectProblem(
			await api(`/v1/billing/invoices/${invoice.id}/finalize`, { key: reader.secret, method: "POST" }),
			403,
			"forbidden",
		);
		expect((await api(`/v1/billing/invoices/${invoice.id}`, { key: reader.secret })).status).toBe(200);
	});
});

describe("invoice numbering", () => {
	it("50 concurrent finalizations across customers get 50 distinct numbers with no gap", async () => {
		const { key } = await newTenant();
		const customers = await Promise.all(Array.from({ length: 10 }, () => newCustomer(key)));
		const drafts = [];
		for (let i = 0; i < 50; i++) drafts.push(await newInvoice(key, customers[i % 10].id));
		const results = await Promise.all(
			drafts.map((d) => api(`/v1/billing/invoices/${d.id}/finalize`, { key, method: "POST" })),
		);
		expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
		const sequence = results.map((r) => Number(r.body.number.split("-").at(-1))).sort((x, y) => x - y);
		expect(sequence).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
	});

	it("finalizing the same draft concurrently numbers it once", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		const draft = await newInvoice(key, customer.id);
		const results = await Promise.all(
			Array.from({ length: 5 }, () => api(`/v1/billing/invoices/${draft.id}/finalize`, { key, method: "POST" })),
		);
		expect(results.filter((r) => r.status === 200)).toHaveLength(1);
		expect(results.filter((r) => r.status === 409)).toHaveLength(4);
		const next = await newInvoice(key, customer.id, { finalize: true });
		expect(next.number).toMatch(/-0002$/);
	});

	it("uses the tenant's configured format and restarts the series each year", async () => {
		const { key } = await newTenant();
		const bad = await api("/v1/billing/settings", {
			key,
			method: "PATCH",
			body: { invoice_number_format: "NO-PLACEHOLDER" },
		});
		expect(expectProblem(bad, 422, "validation_failed").errors[0].field).toBe("invoice_number_format");
		const ok = await api("/v1/billing/settings", {
			key,
			method: "PATCH",
			body: { invoice_number_format: "ACME/{YYYY}/{NNNNN}" },
		});
		expect(ok.body.invoice_number_format).toBe("ACME/{YYYY}/{NNNNN}");
		const customer = await newCustomer(key);
		const first2025 = await newInvoice(key, customer.id, { finalize: true, issue_date: "2025-12-31" });
		const second2025 = await newInvoice(key, customer.id, { finalize: true, issue_date: "2025-06-01" });
		const first2026 = await newInvoice(key, customer.id, { finalize: true, issue_date: "2026-01-01" });
		expect([first2025.number, second2025.number, first2026.number]).toEqual([
			"ACME/2025/00001",
			"ACME/2025/00002",
			"ACME/2026/00001",
		]);
	});
});

describe("invoice listing", () => {
	it("filters and paginates", async () => {
		const { key } = await newTenant();
		const alice = await newCustomer(key, { name: "Alice" });
		const bob = await newCustomer(key, { name: "Bob", currency: "USD" });
		// Bob's invoices are in USD: issuing them posts base (EUR) amounts at the rate in force.
		await api("/v1/billing/fx-rates", { key, body: { currency: "USD", rate: "0.92", effective_date: "2020-01-01" } });
		for (let i = 0; i < 6; i++)
			await newInvoice(key, alice.id, { items: [{ description: "x", unit_price: 1000 * (i + 1) }] });
		const overdue = await newInvoice(key, bob.id, { finalize: true, issue_date: "2024-01-01", due_date: "2024-01-31" });
		await newInvoice(key, bob.id, { finalize: true });

		const byCustomer = await api(`/v1/billing/invoices?customer_id=${alice.id}&limit=4`, { key });
		expect(byCustomer.body.data).toHaveLength(4);
		expect(byCustomer.body.has_more).toBe(true);
		const rest = await api(
			`/v1/billing/invoices?customer_id=${alice.id}&limit=4&cursor=${byCustomer.body.next_cursor}`,
			{ key },
		);
		expect(rest.body.data).toHaveLength(2);
		expect(rest.body.has_more).toBe(false);
		const ids = [...byCustomer.body.data, ...rest.body.data].map((i: { id: string }) => i.id);
		expect(new Set(ids).size).toBe(6);

		expect((await api("/v1/billing/invoices?status=issued", { key })).body.data).toHaveLength(2);
		expect((await api("/v1/billing/invoices?status=draft,issued", { key })).body.data).toHaveLength(8);
		expect((await api("/v1/billing/invoices?currency=USD", { key })).body.data).toHaveLength(2);
		const overdueList = await api("/v1/billing/invoices?overdue=true", { key });
		expect(overdueList.body.data.map((i: { id: string }) => i.id)).toEqual([overdue.id]);
		expect(overdueList.body.data[0].overdue).toBe(true);
		expect((await api("/v1/billing/invoices?min_amount=5000", { key })).body.data.length).toBeGreaterThanOrEqual(2);
		expect((await api("/v1/billing/invoices?from=2024-01-01&to=2024-12-31", { key })).body.data).toHaveLength(1);
		// Drafts are dated by creation: the days around today hold the six drafts and the invoice issued today.
		const dayFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
		const recent = await api(`/v1/billing/invoices?from=${dayFromNow(-1)}&to=${dayFromNow(1)}&limit=100`, { key });
		expect(recent.body.data).toHaveLength(7);

		const byTotal = await api("/v1/billing/invoices?sort=total&limit=3", { key });
		const page2 = await api(`/v1/billing/invoices?sort=total&limit=3&cursor=${byTotal.body.next_cursor}`, { key });
		const totals = [...byTotal.body.data, ...page2.body.data].map((i: { total: number }) => i.total);
		expect(totals).toEqual([...totals].sort((x, y) => x - y));
		expectProblem(
			await api(`/v1/billing/invoices?sort=due_date&cursor=${byCustomer.body.next_cursor}`, { key }),
			422,
			"validation_failed",
		);
		expectProblem(await api("/v1/billing/invoices?status=bogus", { key }), 422, "validation_failed");
		const pageTwo = await api("/v1/billing/invoices?page=2&limit=5", { key });
		expect(pageTwo.body).toMatchObject({ page: 2, has_more: false });
		expect(pageTwo.body.data).toHaveLength(3);
		expect(pageTwo.body.data[0].lines.length).toBeGreaterThan(0);
	});

	it("serves a full page of 100 invoices with their lines", async () => {
		const { key } = await newTenant();
		const customer = await newCustomer(key);
		for (let batch = 0; batch < 6; batch++) {
			await Promise.all(
				Array.from({ length: 17 }, () =>
					newInvoice(key, customer.id, { items: [{ description: "x", unit_price: 100 }] }),
				),
			);
		}
		const page = await api("/v1/billing/invoices?limit=100", { key });
		expect(page.status).toBe(200);
		expect(page.body.data).toHaveLength(100);
		expect(page.body.has_more).toBe(true);
		expect(page.body.data.every((i: { lines: unknown[] }) => i.lines.length === 1)).toBe(true);
	});
});
