import { and, inArray } from "drizzle-orm";
import { runBatch } from "../../db/client";
import { jobs } from "../../db/schema";
import { idInTenant } from "../../db/scope";
import type { ServiceContext } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { presentJob } from "../../schemas/job";
import { changeStatements } from "../changeLog";
import { loadJob } from "./jobs";

const STOPPABLE = ["queued", "running"] as const;

/**
 * Cancels a queued or running job. A queued job never starts; a running one stops at its next
 * checkpoint (saveJobProgress), keeping and reporting what it did until then. A finished job is a 409.
 */
export async function cancelJob({ ctx, id }: { ctx: ServiceContext; id: string }) {
	const current = await loadJob(ctx, id);
	const refuse = (status: string) =>
		new AppError("invalid_state", `The job already ${status === "canceled" ? "was canceled" : status}.`, {
			extensions: { status },
		});
	if (!(STOPPABLE as readonly string[]).includes(current.status)) throw refuse(current.status);
	const now = ctx.clock.now().toISOString();
	const [canceled] = await runBatch(ctx.db, [
		ctx.db
			.update(jobs)
			.set({ status: "canceled", updatedAt: now, finishedAt: now })
			.where(and(idInTenant(jobs, ctx.tenantId, id), inArray(jobs.status, STOPPABLE)))
			.returning(),
		...changeStatements(ctx, {
			action: "job.canceled",
			target: { type: "job", id },
			before: presentJob(current),
			after: { ...presentJob(current), status: "canceled", finished_at: now },
			event: null,
		}),
	]);
	const row = canceled[0];
	// The job finished between the read and the update: nothing was canceled (the audit row says who tried).
	if (!row) throw refuse((await loadJob(ctx, id)).status);
	return presentJob(row);
}
