// The benchmark's entry point: the Worker exactly as src/index.ts exports it, plus the Durable Object
// class behind the /__bench/do/write baseline (bound only in bench/.out/wrangler.bench.json).
export * from "../src/index";
export { default } from "../src/index";
export { BenchDO } from "../src/routes/bench/baselines";
