// Direct SQL against a runtime's persisted local D1 while no server is running on it: a Miniflare with
// only the D1 binding, over the same state directory (the layout of `wrangler dev --persist-to DIR`).
import { Miniflare } from "miniflare";

export async function withD1(state, databaseId, fn) {
	const mf = new Miniflare({
		host: "127.0.0.1",
		port: 0,
		cf: false,
		modules: true,
		script: "export default { fetch() { return new Response(null, { status: 204 }); } };",
		compatibilityDate: "2026-04-20",
		d1Databases: { DB: databaseId },
		defaultPersistRoot: `${state}/v3`,
	});
	try {
		const db = await mf.getD1Database("DB");
		return await fn(db);
	} finally {
		await mf.dispose();
	}
}
