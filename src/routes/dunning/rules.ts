import { z } from "zod";
import { type AppContext, tenantContext } from "../../lib/context";
import { etagFor, withExpectedVersion } from "../../lib/etag";
import { contentJson, idParam, listEnvelope, problemResponse } from "../../schemas/common";
import {
	dunningRuleCreateBody,
	dunningRuleListQuery,
	dunningRuleSchema,
	dunningRuleUpdateBody,
	presentDunningRule,
} from "../../schemas/dunning";
import { createDunningRule } from "../../services/dunning/createRule";
import { deleteDunningRule } from "../../services/dunning/deleteRule";
import { listDunningRules } from "../../services/dunning/listRules";
import { loadDunningRule } from "../../services/dunning/loadRule";
import { updateDunningRule } from "../../services/dunning/updateRule";
import { ApiRoute } from "../base";

const TAGS = ["Dunning"];

export class DunningRuleList extends ApiRoute {
	readonly access = "collections:read";
	override schema = {
		tags: TAGS,
		summary: "List dunning rules",
		operationId: "listDunningRules",
		request: { query: dunningRuleListQuery },
		responses: {
			"200": {
				description: "A page of rules",
				content: contentJson(listEnvelope(dunningRuleSchema, "DunningRuleList")),
			},
		},
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		return c.json(await listDunningRules({ ctx: tenantContext(c), query }));
	}
}

export class DunningRuleCreate extends ApiRoute {
	readonly access = "collections:write";
	override schema = {
		tags: TAGS,
		summary: "Create a dunning rule",
		description:
			"Steps taken a number of days after an invoice's due date while money is owed: a reminder `email` (with the " +
			"invoice's PDF and the step's `reminder` template), an `sms` to the customer's phone, or `hold_services`. " +
			"Customers follow their own rule (`dunning_rule_id`) or the tenant's default: the rule marked `is_default`, " +
			"else the only active rule.",
		operationId: "createDunningRule",
		request: { body: { content: contentJson(dunningRuleCreateBody), required: true } },
		responses: {
			"201": { description: "The rule", content: contentJson(dunningRuleSchema) },
			"422": problemResponse("Steps out of order or range, or a template that is not the tenant's reminder template"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		const rule = await createDunningRule({ ctx: tenantContext(c), input: body });
		return c.json(rule, 201, { Location: `/v1/billing/dunning/rules/${rule.id}`, ETag: etagFor(rule.version) });
	}
}

export class DunningRuleGet extends ApiRoute {
	readonly access = "collections:read";
	override schema = {
		tags: TAGS,
		summary: "Retrieve a dunning rule",
		operationId: "getDunningRule",
		request: { params: idParam("dunr") },
		responses: {
			"200": { description: "The rule", content: contentJson(dunningRuleSchema) },
			"404": problemResponse("No such rule for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		const row = await loadDunningRule(tenantContext(c), params.id);
		return c.json(presentDunningRule(row), 200, { ETag: etagFor(row.version) });
	}
}

export class DunningRuleUpdate extends ApiRoute {
	readonly access = "collections:write";
	override schema = {
		tags: TAGS,
		summary: "Change a dunning rule",
		description:
			"Partial update. Steps already taken stay taken; a step added later is taken at the next run when its day has come.",
		operationId: "updateDunningRule",
		request: {
			params: idParam("dunr"),
			headers: z.object({ "if-match": z.string().optional() }),
			body: { content: contentJson(dunningRuleUpdateBody), required: true },
		},
		responses: {
			"200": { description: "The rule", content: contentJson(dunningRuleSchema) },
			"404": problemResponse("No such rule for this tenant"),
			"409": problemResponse("Stale version"),
			"412": problemResponse("If-Match does not name the current version"),
			"422": problemResponse("Steps out of order or range, or a template that is not the tenant's reminder template"),
		},
	};

	override async handle(c: AppContext) {
		const { params, headers, body } = await this.getValidatedData<typeof this.schema>();
		const { version, ...patch } = body;
		const rule = await withExpectedVersion(headers["if-match"], version, (expectedVersion) =>
			updateDunningRule({ ctx: tenantContext(c), id: params.id, patch, expectedVersion }),
		);
		return c.json(rule, 200, { ETag: etagFor(rule.version) });
	}
}

export class DunningRuleDelete extends ApiRoute {
	readonly access = "collections:write";
	override schema = {
		tags: TAGS,
		summary: "Delete a dunning rule",
		description: "Its customers follow the tenant's default rule from then on; the steps it took stay recorded.",
		operationId: "deleteDunningRule",
		request: { params: idParam("dunr") },
		responses: {
			"200": {
				description: "The rule is deleted",
				content: contentJson(z.object({ id: z.string(), object: z.literal("dunning_rule"), deleted: z.literal(true) })),
			},
			"404": problemResponse("No such rule for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(await deleteDunningRule({ ctx: tenantContext(c), id: params.id }));
	}
}
