import type { Env } from "../../env";

type Check = { status: "ok" | "failed"; latency_ms: number; detail?: string };

async function timed(probe: () => Promise<unknown>): Promise<Check> {
	const started = performance.now();
	try {
		await probe();
		return { status: "ok", latency_ms: Math.round(performance.now() - started) };
	} catch (error) {
		return {
			status: "failed",
			latency_ms: Math.round(performance.now() - started),
			detail: error instanceof Error ? error.message : String(error),
		};
	}
}

function queueConfigured(queue: Queue | undefined) {
	return async () => {
		if (typeof queue?.send !== "function") throw new Error("queue binding is not configured");
	};
}

/**
 * Probes D1 with a query and R2 with a metadata read. Queues have no read API, so their check is that
 * the producer binding is configured; a failing send surfaces in the outbox backlog metric instead.
 */
export async function checkHealth(env: Env, now: Date) {
	const [d1, r2, usageEvents, webhooks, jobs] = await Promise.all([
		timed(() => env.DB.prepare("select 1").first()),
		timed(() => env.FILES.head("health/probe")),
		timed(queueConfigured(env.USAGE_EVENTS)),
		timed(queueConfigured(env.WEBHOOKS)),
		timed(queueConfigured(env.JOBS)),
	]);
	const checks = { d1, r2, queue_usage_events: usageEvents, queue_webhooks: webhooks, queue_jobs: jobs };
	const degraded = Object.values(checks).some((check) => check.status !== "ok");
	return { status: degraded ? ("degraded" as const) : ("ok" as const), time: now.toISOString(), checks };
}
