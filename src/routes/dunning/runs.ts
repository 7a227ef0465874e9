import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, problemResponse } from "../../schemas/common";
import { dunningJobSchema, dunningRunBody } from "../../schemas/dunning";
import { jobSchema, presentJob } from "../../schemas/job";
import { getDunningJob } from "../../services/dunning/getDunningJob";
import { startDunningRun } from "../../services/dunning/runDunning";
import { ApiRoute } from "../base";

const TAGS = ["Dunning"];

export class DunningRun extends ApiRoute {
	readonly access = "collections:write";
	/** Starts a job. */
	protected override readonly claimsKeyFirst = true;
	override schema = {
		tags: TAGS,
		summary: "Run dunning as of a date",
		description:
			"Every open invoice past its due date takes the steps of its rule whose day has come, each step once: a run " +
			"again the same day, or a later one, takes nothing twice, and a step whose day passed without a run is taken " +
			"at the next. The daily cron runs it for every tenant with an active rule.",
		operationId: "runDunning",
		request: { body: { content: contentJson(dunningRunBody), required: false } },
		responses: {
			"202": { description: "The run; poll GET /v1/billing/dunning/jobs/{id}", content: contentJson(jobSchema) },
			"422": problemResponse("A date after the tenant's today"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		const job = await startDunningRun(tenantContext(c), { date: body?.date });
		return c.json(presentJob(job), 202, { Location: `/v1/billing/dunning/jobs/${job.id}` });
	}
}

export class DunningJobGet extends ApiRoute {
	readonly access = "collections:read";
	override schema = {
		tags: TAGS,
		summary: "A dunning run's status and the steps it took, per invoice, with their errors",
		operationId: "getDunningJob",
		request: { params: idParam("job") },
		responses: {
			"200": { description: "The run", content: contentJson(dunningJobSchema) },
			"404": problemResponse("No such dunning run for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(await getDunningJob({ ctx: tenantContext(c), id: params.id }));
	}
}
