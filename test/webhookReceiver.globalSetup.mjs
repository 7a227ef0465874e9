// A receiver on loopback for every webhook and ERP push the tests cause: deliveries that no test
// inspects still reach a real server (answering 204), so no test run resolves an outside host.
// Plain JS: it runs in Node, outside the workerd-typed test project. Its URL is `inject("webhookReceiverUrl")`.
import { createServer } from "node:http";

export default async function setup(project) {
	const server = createServer((request, response) => {
		request.resume();
		request.on("end", () => response.writeHead(204).end());
	});
	await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
	project.provide("webhookReceiverUrl", `http://127.0.0.1:${server.address().port}/hooks`);
	return () => new Promise((resolve) => server.close(() => resolve()));
}
