import fc from "fast-check";
import { idKindOfField, idKindOfPattern, webhookReceiverUrl } from "../helpers/objectFactories";

// fast-check arbitraries derived from the JSON schemas of the OpenAPI document: values each schema
// accepts, and for a valid value the ways to break it (each naming the field it breaks).

export type JsonSchema = { [keyword: string]: any };

/**
 * Stand-ins replaced in the serialized body, for what JSON.stringify cannot write: an integer beyond
 * 2^53 (JSON.parse rounds it) and nesting deep enough to trouble a recursive parser or validator.
 */
export const BIG_INTEGER_MARKER = "\u0001big-integer\u0001";
export const DEEP_NESTING_MARKER = "\u0001deep-nesting\u0001";
const DEEP = 5_000;

export const serializeBody = (value: unknown) =>
	JSON.stringify(value)
		.replaceAll(JSON.stringify(BIG_INTEGER_MARKER), "9007199254740993")
		.replaceAll(JSON.stringify(DEEP_NESTING_MARKER), `${"[".repeat(DEEP)}${"]".repeat(DEEP)}`);

/** A way to break a valid value: the broken value, the field at fault (dotted) and whether the schema refuses it. */
export type Mutation = { value: unknown; field: string; kind: string; refused: boolean };

const HUGE = "A".repeat(200_000);
const HOSTILE_STRINGS = ["", "\u0000", "a\u0000b", "\ud800", "x\udfffy", "💥".repeat(20), "' OR 1=1 --", "../../etc"];

export class SchemaArbitraries {
	constructor(
		private readonly components: Record<string, JsonSchema>,
		/** An existing object's id of a kind, so valid requests reach past "not found". */
		private readonly existingId: (kind: string) => string | undefined,
	) {}

	resolve(schema: JsonSchema | undefined): JsonSchema {
		let current = schema ?? {};
		for (let hops = 0; typeof current.$ref === "string" && hops < 20; hops++) {
			current = this.components[current.$ref.replace("#/components/schemas/", "")] ?? {};
		}
		return current;
	}

	private alternatives(schema: JsonSchema): JsonSchema[] | undefined {
		const options = schema.anyOf ?? schema.oneOf;
		if (options) return options.map((option: JsonSchema) => this.resolve(option));
		if (Array.isArray(schema.type)) return schema.type.map((type: string) => ({ ...schema, type }));
		return undefined;
	}

	/** Values `schema` accepts; `name` is the field's name, a hint for ids without a pattern. */
	valid(input: JsonSchema | undefined, name = ""): fc.Arbitrary<unknown> {
		const schema = this.resolve(input);
		if ("const" in schema) return fc.constant(schema.const);
		if (schema.enum) return fc.constantFrom(...schema.enum);
		const alternatives = this.alternatives(schema);
		if (alternatives) return fc.oneof(...alternatives.map((option) => this.valid(option, name)));
		if (schema.allOf) return this.valid(schema.allOf[0], name);
		switch (schema.type) {
			case "null":
				return fc.constant(null);
			case "boolean":
				return fc.boolean();
			case "integer":
				return fc.integer(this.integerRange(schema));
			case "number":
				return fc.oneof(
					fc.integer(this.integerRange(schema)),
					fc.double({ ...this.numberRange(schema), noNaN: true, noDefaultInfinity: true }),
				);
			case "string":
				return this.validString(schema, name);
			case "array": {
				const maxLength = Math.min(schema.maxItems ?? 3, Math.max(schema.minItems ?? 0, 3));
				return fc.array(this.valid(schema.items, name), { minLength: schema.minItems ?? 0, maxLength });
			}
			case "object":
				return this.validObject(schema);
			default:
				return fc.jsonValue({ maxDepth: 2 });
		}
	}

	/**
	 * A query parameter as sent, as name-value pairs: a list as one of its items, a map (`style:
	 * deepObject`) as `name[key]=value` pairs; left out when null or empty (an empty value is refused,
	 * which only the query mutations probe).
	 */
	validQueryEntries(input: JsonSchema, name: string): fc.Arbitrary<[string, string][]> {
		const schema = this.resolve(input);
		if (schema.type === "object") {
			return fc
				.dictionary(word, this.validQueryEntries(schema.additionalProperties ?? {}, name), { maxKeys: 3 })
				.map((map) =>
					Object.entries(map).flatMap(([key, entries]) =>
						entries.map(([, value]): [string, string] => [`${name}[${key}]`, value]),
					),
				);
		}
		const single = schema.type === "array" ? this.resolve(schema.items) : schema;
		// A parameter whose schema states no type (a transformed one) is still text on the wire: a word.
		const typed = single.type !== undefined || single.enum || "const" in single || this.alternatives(single);
		const value = typed ? this.valid(single, name) : fc.stringMatching(/^[a-z]{1,12}$/);
		return value.map((v) => (v === null || v === undefined || v === "" ? [] : [[name, String(v)]]));
	}

	private integerRange(schema: JsonSchema) {
		const low = schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : (schema.minimum ?? -1_000_000);
		const high = schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : (schema.maximum ?? 1_000_000);
		const min = Math.ceil(Math.max(low, -1_000_000_000));
		return { min, max: Math.max(min, Math.floor(Math.min(high, min + 2_000_000))) };
	}

	private numberRange(schema: JsonSchema) {
		const { min, max } = this.integerRange(schema);
		return { min, max, minExcluded: schema.exclusiveMinimum !== undefined };
	}

	private validString(schema: JsonSchema, name: string): fc.Arbitrary<string> {
		const kind = idKindOfPattern(schema.pattern) ?? (schema.pattern ? undefined : idKindOfField[name]);
		const existing = kind ? this.existingId(kind) : undefined;
		if (existing) return fc.constant(existing);
		const known = KNOWN_VALUES[schema.pattern];
		if (known) return fc.constantFrom(...known);
		if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
		if (schema.format === "date") return dateArbitrary.map((d) => d.toISOString().slice(0, 10));
		if (schema.format === "date-time") return dateArbitrary.map((d) => d.toISOString());
		if (schema.format === "email" || name.endsWith("email")) return word.map((w) => `${w}@example.com`);
		if (schema.format === "uri" || name.endsWith("url")) return fc.constant(webhookReceiverUrl());
		const minLength = schema.minLength ?? 0;
		// Text is trimmed before its length is checked, which JSON Schema cannot say: no blank padding.
		return fc
			.string({ minLength, maxLength: Math.min(schema.maxLength ?? 24, minLength + 24) })
			.filter((text) => text.trim().length >= minLength);
	}

	private validObject(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
		const properties: Record<string, JsonSchema> = schema.properties ?? {};
		const model = Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, this.valid(value, key)]));
		const record = fc.record(model, { requiredKeys: (schema.required ?? []).filter((k: string) => k in model) });
		if (typeof schema.additionalProperties !== "object" || Object.keys(properties).length > 0) return record;
		const keys = schema.propertyNames?.pattern ? fc.stringMatching(new RegExp(schema.propertyNames.pattern)) : word;
		return fc.dictionary(keys, this.valid(schema.additionalProperties), { maxKeys: 3 });
	}

	/** Every way this module knows to break `value` (valid for `schema`), field by field, depth first. */
	mutations(input: JsonSchema | undefined, value: unknown, path: string[] = []): Mutation[] {
		const schema = this.resolve(input);
		const field = path.join(".");
		const here = (kind: string, broken: unknown, refused = true): Mutation => ({
			value: broken,
			field,
			kind,
			refused,
		});
		const out: Mutation[] = [];
		const alternatives = this.alternatives(schema);
		const types: string[] = alternatives
			? alternatives.map((option) => option.type).filter(Boolean)
			: schema.type
				? [schema.type]
				: [];
		const allows = (type: string) => types.includes(type) || (type === "integer" && types.includes("number"));
		const open = types.length === 0 && !schema.enum && !("const" in schema);
		if (!open) {
			for (const [type, wrong] of WRONG_TYPES) {
				if (!allows(type)) out.push(here(`wrong type (${type})`, wrong));
			}
		}
		out.push(here("deep nesting", DEEP_NESTING_MARKER, !open && !allows("array")));
		if (schema.enum) out.push(here("not an option", "not_an_option_value"));
		if (schema.type === "string") {
			for (const text of HOSTILE_STRINGS) out.push(here("hostile string", text, text === "" && schema.minLength > 0));
			out.push(here("huge string", HUGE, schema.maxLength !== undefined || schema.pattern !== undefined));
			if (schema.maxLength !== undefined) out.push(here("too long", "x".repeat(schema.maxLength + 1)));
			if (schema.pattern) out.push(here("pattern broken", "does not match !"));
		}
		if (schema.type === "integer" || schema.type === "number") {
			out.push(here("2^53+1", BIG_INTEGER_MARKER, schema.type === "integer" || schema.maximum !== undefined));
			out.push(here("1e308", 1e308, schema.type === "integer" || schema.maximum !== undefined));
			if (schema.type === "integer") out.push(here("fraction", 1.5));
			if (schema.minimum !== undefined) out.push(here("below minimum", schema.minimum - 1));
			if (schema.maximum !== undefined) out.push(here("above maximum", schema.maximum + 1));
		}
		if (schema.type === "array" && Array.isArray(value)) {
			if (schema.maxItems !== undefined && schema.maxItems <= 1000 && value.length > 0) {
				out.push(
					here(
						"too many items",
						Array.from({ length: schema.maxItems + 1 }, () => value[0]),
					),
				);
			}
			if (schema.minItems > 0) out.push(here("too few items", []));
			value.slice(0, 1).forEach((item, index) => {
				for (const m of this.mutations(schema.items, item, [...path, String(index)])) {
					out.push({ ...m, value: value.map((v, i) => (i === index ? m.value : v)) });
				}
			});
		}
		if (schema.type === "object" && value && typeof value === "object" && !Array.isArray(value)) {
			const object = value as Record<string, unknown>;
			const strict = schema.additionalProperties === false;
			out.push({
				value: { ...object, unexpected_field: 1 },
				field: [...path, "unexpected_field"].join("."),
				kind: "unknown field",
				refused: strict,
			});
			for (const key of schema.required ?? []) {
				const { [key]: _dropped, ...rest } = object;
				out.push({ value: rest, field: [...path, key].join("."), kind: "missing required", refused: true });
			}
			for (const [key, propertySchema] of Object.entries<JsonSchema>(schema.properties ?? {})) {
				if (!(key in object)) continue;
				for (const m of this.mutations(propertySchema, object[key], [...path, key])) {
					out.push({ ...m, value: { ...object, [key]: m.value } });
				}
			}
		}
		return out;
	}
}

/** Patterns that admit many values of which only a registry's are real: currency and country codes. */
const KNOWN_VALUES: Record<string, string[]> = {
	"^[A-Z]{3}$": ["EUR", "USD", "GBP", "JPY", "CHF"],
	"^[A-Z]{2}$": ["DE", "FR", "US", "GB"],
};

const WRONG_TYPES: [string, unknown][] = [
	["string", "not-the-right-type"],
	["integer", 12345],
	["boolean", true],
	["null", null],
	["object", { nested: { deeper: [1, 2, 3] } }],
	["array", [1, "two", null]],
];

const word = fc.stringMatching(/^[a-z]{1,10}$/);
const dateArbitrary = fc.date({
	min: new Date("2025-01-01T00:00:00Z"),
	max: new Date("2027-12-31T00:00:00Z"),
	noInvalidDate: true,
});
