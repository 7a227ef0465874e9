import { describe, expect, it } from "vitest";
import { AppError, errorCatalog, fieldInvalid, notFound, problemResponse, toProblem } from "../../src/lib/errors";

describe("errorCatalog", () => {
	it("maps every code to a 4xx or 5xx status and a title", () => {
		for (const [code, { status, title }] of Object.entries(errorCatalog)) {
			expect(status, code).toBeGreaterThanOrEqual(400);
			expect(status, code).toBeLessThan(600);
			expect(title.length, code).toBeGreaterThan(0);
		}
		expect(errorCatalog.validation_failed.status).toBe(422);
		expect(errorCatalog.idempotency_in_progress.status).toBe(409);
		expect(errorCatalog.rate_limited.status).toBe(429);
	});
});

describe("toProblem", () => {
	it("renders an RFC 9457 document with the code, request id, field errors and extensions", () => {
		const error = new AppError("version_conflict", "Stale.", {
			errors: [{ location: "body", field: "version", message: "is stale" }],
			extensions: { current_version: 3 },
		});
		expect(toProblem(error, "/v1/billing/customers/cus_1", "req_1")).toEqual({
			type: "/problems/version_conflict",
			title: "Stale version",
			status: 409,
			detail: "Stale.",
			instance: "/v1/billing/customers/cus_1",
			code: "version_conflict",
			request_id: "req_1",
			errors: [{ location: "body", field: "version", message: "is stale" }],
			current_version: 3,
		});
	});

	it("never lets an extension overwrite a standard member", () => {
		const error = new AppError("not_found", "Gone.", { extensions: { status: 200, type: "about:blank", code: "x" } });
		expect(toProblem(error, "/x", "req_2")).toMatchObject({
			status: 404,
			type: "/problems/not_found",
			code: "not_found",
		});
	});

	it("omits errors when there are none", () => {
		expect(toProblem(notFound("customer", "cus_1"), "/x", "req_3")).not.toHaveProperty("errors");
	});
});

describe("helpers", () => {
	it("notFound names the resource and id", () => {
		const error = notFound("customer", "cus_9");
		expect(error).toMatchObject({ code: "not_found", status: 404, extensions: { resource: "customer", id: "cus_9" } });
	});

	it("fieldInvalid is a 422 naming one field", () => {
		const error = fieldInvalid("query", "cursor", "is bad");
		expect(error).toMatchObject({
			code: "validation_failed",
			status: 422,
			message: "cursor: is bad",
			errors: [{ location: "query", field: "cursor", message: "is bad" }],
		});
	});
});

describe("problemResponse", () => {
	it("is application/problem+json with the document's status and any extra headers", async () => {
		const problem = toProblem(new AppError("rate_limited", "Slow down."), "/x", "req_4");
		const response = problemResponse(problem, { "Retry-After": "60" });
		expect(response.status).toBe(429);
		expect(response.headers.get("content-type")).toBe("application/problem+json");
		expect(response.headers.get("retry-after")).toBe("60");
		expect(await response.json()).toEqual(problem);
	});
});
