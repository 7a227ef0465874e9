import { type AppContext, tenantContext } from "../../lib/context";
import { contentJson, idParam, listEnvelope, problemResponse } from "../../schemas/common";
import { templateCreateBody, templateListQuery, templateSchema, templateUpdateBody } from "../../schemas/template";
import { createTemplate, getTemplate, listTemplates, updateTemplate } from "../../services/templates/templates";
import { ApiRoute } from "../base";

const TAGS = ["Templates"];

export class TemplateList extends ApiRoute {
	readonly access = "settings:read";
	override schema = {
		tags: TAGS,
		summary: "List email and PDF-footer templates",
		description:
			"The tenant's templates. Without one for a kind and locale, messages use the built-in default for " +
			"invoice, reminder, credit_note and statement.",
		operationId: "listTemplates",
		request: { query: templateListQuery },
		responses: {
			"200": { description: "A page of templates", content: contentJson(listEnvelope(templateSchema, "TemplateList")) },
		},
	};

	override async handle(c: AppContext) {
		const { query } = await this.getValidatedData<typeof this.schema>();
		return c.json(await listTemplates({ ctx: tenantContext(c), query }));
	}
}

export class TemplateCreate extends ApiRoute {
	readonly access = "settings:write";
	override schema = {
		tags: TAGS,
		summary: "Create a template",
		description:
			"Email subject and body with `{{invoice.number}}`-style placeholders (the HTML part escapes the text and every " +
			"value), and the footer of the kind's PDFs, for one locale. The newest template of a kind and locale is used " +
			"unless a send names another by `template_id`.",
		operationId: "createTemplate",
		request: { body: { content: contentJson(templateCreateBody), required: true } },
		responses: {
			"201": { description: "The template", content: contentJson(templateSchema) },
			"422": problemResponse("A placeholder the kind cannot fill, naming the field"),
		},
	};

	override async handle(c: AppContext) {
		const { body } = await this.getValidatedData<typeof this.schema>();
		const template = await createTemplate({ ctx: tenantContext(c), input: body });
		return c.json(template, 201, { Location: `/v1/billing/templates/${template.id}` });
	}
}

export class TemplateGet extends ApiRoute {
	readonly access = "settings:read";
	override schema = {
		tags: TAGS,
		summary: "Retrieve a template",
		operationId: "getTemplate",
		request: { params: idParam("tmpl") },
		responses: {
			"200": { description: "The template", content: contentJson(templateSchema) },
			"404": problemResponse("No such template for this tenant"),
		},
	};

	override async handle(c: AppContext) {
		const { params } = await this.getValidatedData<typeof this.schema>();
		return c.json(await getTemplate({ ctx: tenantContext(c), id: params.id }));
	}
}

export class TemplateUpdate extends ApiRoute {
	readonly access = "settings:write";
	override schema = {
		tags: TAGS,
		summary: "Change a template",
		operationId: "updateTemplate",
		request: { params: idParam("tmpl"), body: { content: contentJson(templateUpdateBody), required: true } },
		responses: {
			"200": { description: "The template", content: contentJson(templateSchema) },
			"404": problemResponse("No such template for this tenant"),
			"422": problemResponse("A placeholder the kind cannot fill, naming the field"),
		},
	};

	override async handle(c: AppContext) {
		const { params, body } = await this.getValidatedData<typeof this.schema>();
		return c.json(await updateTemplate({ ctx: tenantContext(c), id: params.id, patch: body }));
	}
}
