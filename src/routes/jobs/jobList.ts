import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, listEnvelope } from "../../schemas/common";
import { jobListQuery, jobSchema } from "../../schemas/job";
import { listJobs } from "../../services/jobs/jobs";
import { ApiRoute } from "../base";

export class JobList extends ApiRoute {
	readonly access = "jobs:read";
	override schema = {
		tags: ["Jobs"],
		summary: "List background jobs",
		operationId: "listJobs",
		request: { query: jobListQuery },
		responses: { "200": { description: "A page of jobs", content: contentJson(listEnvelope(jobSchema, "JobList")) } },
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		return c.json(await listJobs({ ctx: tenantContext(c), query }));
	}
}
