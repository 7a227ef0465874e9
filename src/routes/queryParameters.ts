// A route's query string read against the parameters its schema declares. Like unknown body fields,
// a parameter the route does not declare is refused (a misspelt filter would otherwise list everything),
// and so is an empty value (`?status=`): like Stripe, we do not guess whether it means "absent" or "the
// empty string", and say which parameter to leave out or fill in. A map parameter (`dimensions`) is sent
// as a deep object, `dimensions[region]=eu`; a list may be sent as `statuses[]=a&statuses[]=b`.
import { z } from "zod";
import type { FieldError } from "../lib/errors";

type ParameterKind = "value" | "map";

/** The parameters a query schema declares, by name, each a plain value (or a list of them) or a map. */
export type DeclaredQuery = ReadonlyMap<string, ParameterKind>;

export function declaredQuery(schema: z.ZodType | undefined): DeclaredQuery {
	if (!(schema instanceof z.ZodObject)) return new Map();
	return new Map(
		Object.entries<z.ZodType>(schema.shape).map(([name, field]) => [
			name,
			innermost(field) instanceof z.ZodRecord ? "map" : "value",
		]),
	);
}

/** The schema under optional, default, nullable and transform wrappers. */
function innermost(schema: z.ZodType): z.ZodType {
	let current = schema;
	for (;;) {
		if (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) {
			current = current.unwrap() as z.ZodType;
		} else if (current instanceof z.ZodPipe) {
			current = current.in as z.ZodType;
		} else {
			return current;
		}
	}
}

export type ReadQuery = {
	/** Plain parameters as sent (a repeated one several times), `name[]` read as `name`. */
	values: URLSearchParams;
	/** Map parameters: `dimensions[region]=eu` as `{ dimensions: { region: "eu" } }`. */
	maps: Record<string, Record<string, string>>;
	/** Every parameter the route does not declare, and every empty value. */
	errors: FieldError[];
};

const BRACKETED = /^([^[\]]+)\[([^[\]]*)\]$/;

export function readQuery(search: URLSearchParams, declared: DeclaredQuery): ReadQuery {
	const values = new URLSearchParams();
	const mapEntries = new Map<string, [string, string][]>();
	const errors: FieldError[] = [];
	const refuse = (field: string, message: string) => {
		if (!errors.some((e) => e.field === field)) errors.push({ location: "query", field, message });
	};
	for (const [sent, value] of search) {
		const bracketed = BRACKETED.exec(sent);
		const name = bracketed?.[1] ?? sent;
		const key = bracketed?.[2];
		const kind = declared.get(name);
		const fitting = kind === "map" ? key !== undefined && key !== "" : key === undefined || key === "";
		if (!kind || !fitting) {
			refuse(sent, "is not a recognized parameter");
		} else if (value === "") {
			refuse(sent, "is empty: leave the parameter out or give it a value");
		} else if (kind === "map" && key) {
			mapEntries.set(name, [...(mapEntries.get(name) ?? []), [key, value]]);
		} else {
			values.append(name, value);
		}
	}
	const maps = Object.fromEntries([...mapEntries].map(([name, entries]) => [name, Object.fromEntries(entries)]));
	return { values, maps, errors };
}
