import { fromHono } from "chanfana";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { billingV13Errors } from "./dialects/billingV13/errors";
import { billingV13Router } from "./dialects/billingV13/router";
import { INVOICE_ME_PREFIXES, invoiceMeErrors } from "./dialects/invoiceMe/base";
import { invoiceMeRouter } from "./dialects/invoiceMe/router";
import { simpleInvoicesErrors } from "./dialects/simpleInvoices/errors";
import { simpleInvoicesRouter } from "./dialects/simpleInvoices/router";
import type { AppBindings, AppContext } from "./lib/context";
import { DOCS_PAGE } from "./lib/docsPage";
import { AppError, type ErrorCode, errorCatalog, problemResponse, toProblem } from "./lib/errors";
import { routedPath } from "./lib/tenantPath";
import { authenticate } from "./middleware/authenticate";
import { bodyGuard } from "./middleware/bodyGuard";
import { dispatchOutbox } from "./middleware/dispatchOutbox";
import { idempotency } from "./middleware/idempotency";
import { rateLimit } from "./middleware/rateLimit";
import { requestContext } from "./middleware/requestContext";
import { adminRouter } from "./routes/admin/router";
import { auditRouter } from "./routes/audit/router";
import { billableMetricsRouter } from "./routes/billableMetrics/router";
import { collectionsRouter } from "./routes/collections/router";
import { couponsRouter } from "./routes/coupons/router";
import { creditNotesRouter } from "./routes/creditNotes/router";
import { customersRouter } from "./routes/customers/router";
import { chargebacksRouter, disputesRouter } from "./routes/disputes/router";
import { dunningRouter } from "./routes/dunning/router";
import { einvoiceRouter } from "./routes/einvoice/router";
import { eventsRouter } from "./routes/events/router";
import { importsRouter } from "./routes/imports/router";
import { invoicesRouter } from "./routes/invoices/router";
import { jobsRouter } from "./routes/jobs/router";
import { keysRouter } from "./routes/keys/router";
import { exportsRouter, fxRatesRouter, glReconcileRouter, journalsRouter, ledgerRouter } from "./routes/ledger/router";
import { operationsRouter } from "./routes/operations/router";
import { paymentsRouter } from "./routes/payments/router";
import { plansRouter } from "./routes/plans/router";
import { reconciliationsRouter } from "./routes/reconciliations/router";
import { recurringRouter } from "./routes/recurring/router";
import { refundsRouter } from "./routes/refunds/router";
import { rolesRouter } from "./routes/roles/router";
import { settingsRouter } from "./routes/settings/router";
import { statementsRouter } from "./routes/statements/router";
import { subscriptionsRouter } from "./routes/subscriptions/router";
import { complianceRouter, taxProvidersRouter, taxRouter } from "./routes/tax/router";
import { templatesRouter } from "./routes/templates/router";
import { testClocksRouter } from "./routes/testClocks/router";
import { uploadsRouter } from "./routes/uploads/router";
import { usageRouter } from "./routes/usage/router";
import { webhooksRouter } from "./routes/webhooks/router";

const app = new Hono<AppBindings>({ getPath: routedPath });

/** Other seeds' surfaces that show errors their own way. */
const errorSurfaces = [invoiceMeErrors, simpleInvoicesErrors, billingV13Errors];

// request id → problem errors → body guard → auth/tenant → rate limit → (event dispatch after) → idempotency → route
app.use("*", requestContext);
app.onError((error, c) => problemFor(error, c));
app.use("/v1/*", bodyGuard, authenticate, rateLimit, dispatchOutbox, idempotency);
for (const prefix of INVOICE_ME_PREFIXES) {
	app.use(`${prefix}/*`, bodyGuard, authenticate, rateLimit, dispatchOutbox, idempotency);
}

const openapi = fromHono(app, {
	openapiVersion: "3.1",
	openapi_url: "/openapi.json",
	// /docs is served below, with Swagger UI's files from the Worker's static assets rather than a CDN.
	docs_url: null,
	redoc_url: null,
	passthroughErrors: true,
	schema: {
		info: {
			title: "Billing, Accounting & Invoicing API",
			version: "0.1.0",
			description:
				"Money-exact billing on the edge. Amounts are integer minor units of ISO 4217 currencies; errors are " +
				"RFC 9457 problem documents; mutations accept an Idempotency-Key.",
		},
		security: [{ bearerAuth: [] }],
	},
});
openapi.registry.registerComponent("securitySchemes", "bearerAuth", {
	type: "http",
	scheme: "bearer",
	description:
		"A tenant API key (sk_…), a user's token (JWT from /api/v1/auth/login), or the operator token for /v1/admin routes.",
});

app.get("/docs", (c) => c.html(DOCS_PAGE));

openapi.route("/v1/admin", adminRouter);
openapi.route("/v1/billing", operationsRouter);
openapi.route("/v1/billing/customers", customersRouter);
openapi.route("/v1/billing/invoices", invoicesRouter);
openapi.route("/v1/billing/credit-notes", creditNotesRouter);
openapi.route("/v1/billing/statements", statementsRouter);
openapi.route("/v1/billing/templates", templatesRouter);
openapi.route("/v1/billing/dunning", dunningRouter);
openapi.route("/v1/billing/collections", collectionsRouter);
openapi.route("/v1/billing/keys", keysRouter);
openapi.route("/v1/billing/payments", paymentsRouter);
openapi.route("/v1/billing/refunds", refundsRouter);
openapi.route("/v1/billing/reconciliations", reconciliationsRouter);
openapi.route("/v1/billing/chargebacks", chargebacksRouter);
openapi.route("/v1/billing/disputes", disputesRouter);
openapi.route("/v1/billing/roles", rolesRouter);
openapi.route("/v1/billing/audit", auditRouter);
openapi.route("/v1/billing/jobs", jobsRouter);
openapi.route("/v1/billing/imports", importsRouter);
openapi.route("/v1/billing/uploads", uploadsRouter);
openapi.route("/v1/billing/journals", journalsRouter);
openapi.route("/v1/billing/ledger", ledgerRouter);
openapi.route("/v1/billing/reconcile", glReconcileRouter);
openapi.route("/v1/billing/exports", exportsRouter);
openapi.route("/v1/billing/fx-rates", fxRatesRouter);
openapi.route("/v1/billing/settings", settingsRouter);
openapi.route("/v1/billing/events", eventsRouter);
openapi.route("/v1/billing/webhooks", webhooksRouter);
openapi.route("/v1/billing/plans", plansRouter);
openapi.route("/v1/billing/coupons", couponsRouter);
openapi.route("/v1/billing/subscriptions", subscriptionsRouter);
openapi.route("/v1/billing/recurring", recurringRouter);
openapi.route("/v1/billing/test-clocks", testClocksRouter);
openapi.route("/v1/billing/billable-metrics", billableMetricsRouter);
openapi.route("/v1/billing/usage", usageRouter);
openapi.route("/v1/billing/tax", taxRouter);
openapi.route("/v1/billing/tax-providers", taxProvidersRouter);
openapi.route("/v1/billing/compliance", complianceRouter);
openapi.route("/v1/billing/einvoice", einvoiceRouter);
openapi.route("/v1/billing", billingV13Router);
openapi.route("/api/v1", invoiceMeRouter);
openapi.route("/v1", simpleInvoicesRouter);

// Problem types are relative URIs; each resolves to a short description of itself.
app.get("/problems/:code", (c) => {
	const code = c.req.param("code");
	if (!Object.hasOwn(errorCatalog, code)) throw new AppError("not_found", `No problem type '${code}'.`);
	const { status, title } = errorCatalog[code as ErrorCode];
	return c.json({ type: `/problems/${code}`, title, status });
});

app.notFound((c) => {
	const allowed = allowedMethods(c.req.path);
	if (allowed.length > 0) {
		throw new AppError("method_not_allowed", `${c.req.method} is not supported on ${c.req.path}.`, {
			headers: { Allow: allowed.join(", ") },
			extensions: { allowed_methods: allowed },
		});
	}
	// Like Stripe, a trailing slash names no route; the problem points at the path without it.
	const trimmed = c.req.path.replace(/\/+$/, "");
	const hint = trimmed !== c.req.path && allowedMethods(trimmed).length > 0 ? ` Did you mean ${trimmed}?` : "";
	throw new AppError("route_not_found", `No route matches ${c.req.method} ${c.req.path}.${hint}`);
});

let routePatterns: { method: string; pattern: RegExp }[] | undefined;

/** The methods registered for `path`, so an unsupported method is a 405 that lists them, not a 404. */
function allowedMethods(path: string): string[] {
	routePatterns ??= app.routes
		.filter((route) => route.method !== "ALL")
		.map((route) => ({
			method: route.method,
			pattern: new RegExp(`^${route.path.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\/:[^/]+/g, "/[^/]+")}$`),
		}));
	return [...new Set(routePatterns.filter((r) => r.pattern.test(path)).map((r) => r.method))];
}

function problemFor(error: unknown, c: AppContext): Response {
	// A ready response thrown on purpose (an Idempotency-Key's stored answer): sent as it is.
	if (error instanceof HTTPException && error.res) return error.getResponse();
	const appError = toAppError(error, c);
	c.set("errorCode", appError.code);
	const requestId = c.get("requestId") ?? "unknown";
	const path = routedPath(c.req.raw);
	const surface = errorSurfaces.find((s) => s.matches(path));
	const problem = surface
		? surface.render(appError, c.req.path, requestId)
		: toProblem(appError, c.req.path, requestId);
	return problemResponse(problem, {
		...appError.headers,
		"X-Request-Id": requestId,
	});
}

function toAppError(error: unknown, c: AppContext): AppError {
	if (error instanceof AppError) return error;
	if (error instanceof HTTPException && error.status < 500) {
		const code: ErrorCode = error.status === 413 ? "payload_too_large" : "invalid_request";
		return new AppError(code, error.message || errorCatalog[code].title);
	}
	c.get("logger")?.error("unhandled error", {
		error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
	});
	return new AppError("internal_error", "An unexpected error occurred. Quote the request id when reporting it.");
}

export default app;
