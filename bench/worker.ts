// The benchmark's entry point: the Worker exactly as src/index.ts exports it, with the baselines
// (bench/baselines.ts) answering /__bench/* in front of it, and the Durable Object class behind the
// /__bench/do/write baseline (bound only in bench/.out/wrangler.bench.json).
import worker from "../src/index";
import { benchRoutes } from "./baselines";

export * from "../src/index";
export { BenchDO } from "./baselines";

export default {
	...worker,
	fetch: (request, env, ctx) =>
		new URL(request.url).pathname.startsWith("/__bench/")
			? benchRoutes.fetch(request, env, ctx)
			: worker.fetch(request, env, ctx),
} satisfies typeof worker;
