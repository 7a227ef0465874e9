import { and, asc, eq } from "drizzle-orm";
import { dunningAttempts } from "../../db/schema";
import type { ServiceContext } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { presentDunningJob } from "../../schemas/dunning";
import { loadJob } from "../jobs/jobs";

/** Steps a run's answer lists; the rest stay in the `dunning_attempts` of its invoices. */
const STEPS_SHOWN = 1000;

/** A dunning run with the steps it took, oldest first. */
export async function getDunningJob({ ctx, id }: { ctx: ServiceContext; id: string }) {
	const job = await loadJob(ctx, id);
	if (job.type !== "dunning_run") throw notFound("dunning run", id);
	const steps = await ctx.db
		.select()
		.from(dunningAttempts)
		.where(and(eq(dunningAttempts.tenantId, ctx.tenantId), eq(dunningAttempts.jobId, job.id)))
		.orderBy(asc(dunningAttempts.id))
		.limit(STEPS_SHOWN);
	return presentDunningJob(job, steps);
}
