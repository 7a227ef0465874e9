import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { dunningRules, tenants } from "../../db/schema";
import { localDate } from "../../domain/billingPeriods";
import type { ServiceContext } from "../../lib/context";
import { startJob } from "../jobs/jobs";
import type { DunningRunInput } from "./runDunning";

/**
 * The daily cron: a dunning run for every tenant with an active rule, as of its own business date.
 * A run takes each step once, so a second run the same day (a cron fired twice) takes nothing again.
 */
export async function startDailyDunningRuns(
	db: Database,
	now: Date,
	makeCtx: (tenantId: string) => ServiceContext,
): Promise<number> {
	const dunned = await db
		.selectDistinct({ tenantId: dunningRules.tenantId, timeZone: tenants.timeZone })
		.from(dunningRules)
		.innerJoin(tenants, eq(tenants.id, dunningRules.tenantId))
		.where(eq(dunningRules.active, true));
	for (const { tenantId, timeZone } of dunned) {
		await startJob(makeCtx(tenantId), "dunning_run", { date: localDate(now, timeZone) } satisfies DunningRunInput);
	}
	return dunned.length;
}
