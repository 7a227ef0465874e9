import { AppError, type ErrorSurface, toProblem } from "../../lib/errors";

/** Seed 002's paths beside the canonical API's, under /v1/billing. */
export const BILLING_V13_PATHS = ["/v1/billing/invoice", "/v1/billing/subscribe"];

/** Seed 002 answers invalid parameters with 400 `invalid_request`, where the canonical API uses 422. */
export const billingV13Errors: ErrorSurface = {
	matches: (path) => BILLING_V13_PATHS.includes(path),
	render: (error, instance, requestId) =>
		toProblem(
			error.code === "validation_failed"
				? new AppError("invalid_request", error.message, { errors: error.errors })
				: error,
			instance,
			requestId,
		),
};
