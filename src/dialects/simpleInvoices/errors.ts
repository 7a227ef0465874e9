import { type ErrorSurface, toProblem } from "../../lib/errors";

/** Seed 001's paths: its invoices and its usage report. */
export const SIMPLE_INVOICES_PREFIXES = ["/v1/invoices", "/v1/usage-report"];

/** Seed 001 names 400, 401, 403, 404 and 500: every other client error is a 400 there. */
const KEPT_STATUSES = new Set([401, 403, 404, 429]);

export const simpleInvoicesErrors: ErrorSurface = {
	matches: (path) => SIMPLE_INVOICES_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`)),
	render: (error, instance, requestId) => {
		const problem = toProblem(error, instance, requestId);
		return error.status < 500 && !KEPT_STATUSES.has(error.status) ? { ...problem, status: 400 } : problem;
	},
};
