import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, listEnvelope, problemResponse } from "../../schemas/common";
import {
	collectionCaseListQuery,
	collectionCaseResolveBody,
	collectionCaseSchema,
	presentCollectionCase,
} from "../../schemas/dunning";
import { loadCollectionCase } from "../../services/dunning/getCase";
import { listCollectionCases } from "../../services/dunning/listCases";
import { resolveCollectionCase } from "../../services/dunning/resolveCase";
import { ApiRoute } from "../base";

export class CollectionCaseList extends ApiRoute {
	readonly access = "collections:read";
	override schema = {
		tags: ["Dunning"],
		summary: "List collection cases",
		description:
			"A customer gets an open case when one of its invoices has been through every step of a dunning rule that " +
			"escalates (`escalation: case`); its later escalated invoices join that case.",
		operationId: "listCollectionCases",
		request: { query: collectionCaseListQuery },
		responses: {
			"200": {
				description: "A page of cases",
				content: contentJson(listEnvelope(collectionCaseSchema, "CollectionCaseList")),
			},
		},
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		return c.json(await listCollectionCases({ ctx: tenantContext(c), query }));
	}
}

export class CollectionCaseGet extends ApiRoute {
	readonly access = "collections:read";
	override schema = {
		tags: ["Dunning"],
		summary: "Retrieve a collection case",
		operationId: "getCollectionCase",
		request: { params: idParam("case") },
		responses: {
			"200": { description: "The case", content: contentJson(collectionCaseSchema) },
			"404": problemResponse("No such case for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(presentCollectionCase(await loadCollectionCase(tenantContext(c), params.id)));
	}
}

export class CollectionCaseResolve extends ApiRoute {
	readonly access = "collections:write";
	override schema = {
		tags: ["Dunning"],
		summary: "Resolve a collection case",
		description: "Closes the case with how it ended; the customer's next escalation opens a new one.",
		operationId: "resolveCollectionCase",
		request: { params: idParam("case"), body: { content: contentJson(collectionCaseResolveBody), required: true } },
		responses: {
			"200": { description: "The resolved case", content: contentJson(collectionCaseSchema) },
			"404": problemResponse("No such case for this tenant"),
			"409": problemResponse("The case is resolved already, or changed meanwhile"),
		},
	};

	override async handle(c: AppContext) {
		const { params, body } = await this.getValidatedData<typeof this.schema>();
		return c.json(await resolveCollectionCase({ ctx: tenantContext(c), id: params.id, resolution: body.resolution }));
	}
}
