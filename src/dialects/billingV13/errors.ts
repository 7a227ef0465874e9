import { AppError } from "../../lib/errors";

/** Seed 002 answers invalid parameters with 400, where the canonical API uses 422. */
export async function withV13Statuses(handle: () => Promise<Response>): Promise<Response> {
	try {
		return await handle();
	} catch (error) {
		if (error instanceof AppError && error.code === "validation_failed") {
			throw new AppError("invalid_request", error.message, { errors: error.errors });
		}
		throw error;
	}
}
