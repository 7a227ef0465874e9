// An import file read into records: NDJSON (one JSON object per line) or CSV (a header row, then one
// record per row, parsed by papaparse so quoted commas and line breaks survive). Each record keeps the
// line it starts on, for the error report. Pure: text in, records out.
import Papa from "papaparse";

export type ImportFormat = "ndjson" | "csv";

/** CSV column (or NDJSON key) → the record field it fills. */
export type ImportMapping = Readonly<Record<string, string>>;

/** One line of an import's error report. */
export type LineError = {
	line: number;
	/** The field at fault, dotted (`entries.1.debit`, `mapping.Amount`); null when the whole line is. */
	field: string | null;
	code: string;
	message: string;
	/** Every field at fault. */
	errors?: LineFieldError[];
};

export type LineFieldError = { location?: string; field: string; message: string };

export type ImportRecord = { line: number; fields: Record<string, unknown> };

export type ReadResult = { records: (ImportRecord | LineError)[] } | { fatal: LineError };

export type RecordShape = {
	/** The fields a record of this type has; a dotted name (`billing_address.country`) fills a nested object. */
	fields: readonly string[];
	/** Fields CSV gives as text that the record holds as integers (minor units, quantities). */
	integers?: readonly string[];
};

export const isLineError = (entry: ImportRecord | LineError): entry is LineError => "code" in entry;

/** The mapping's targets that name no field of the shape, as errors naming `mapping.<column>`. */
export function mappingErrors(mapping: ImportMapping, shape: RecordShape) {
	return Object.entries(mapping).flatMap(([column, field]) =>
		shape.fields.includes(field)
			? []
			: [
					{
						field: `mapping.${column}`,
						message: `'${field}' is not a field of this import; use one of ${shape.fields.join(", ")}`,
					},
				],
	);
}

export function readRecords(
	text: string,
	format: ImportFormat,
	mapping: ImportMapping,
	shape: RecordShape,
): ReadResult {
	return format === "csv" ? readCsv(text, mapping, shape) : { records: readNdjson(text, mapping) };
}

function readNdjson(text: string, mapping: ImportMapping): (ImportRecord | LineError)[] {
	return text.split(/\r?\n/).flatMap((raw, i): (ImportRecord | LineError)[] => {
		const line = i + 1;
		if (raw.trim() === "") return [];
		let value: unknown;
		try {
			value = JSON.parse(raw);
		} catch (error) {
			return [{ line, field: null, code: "malformed_json", message: (error as Error).message }];
		}
		if (typeof value !== "object" || value === null || Array.isArray(value)) {
			return [{ line, field: null, code: "malformed_json", message: "the line is not a JSON object" }];
		}
		const fields = Object.fromEntries(Object.entries(value).map(([key, v]) => [mapping[key] ?? key, v]));
		return [{ line, fields }];
	});
}

function readCsv(text: string, mapping: ImportMapping, shape: RecordShape): ReadResult {
	const rows: { line: number; cells: string[]; error?: string }[] = [];
	let offset = 0;
	let line = 1;
	Papa.parse<string[]>(text, {
		skipEmptyLines: "greedy",
		step: (result) => {
			// meta.cursor is where this row ends: its first line is counted from where the last one ended.
			const start = text.slice(offset, result.meta.cursor);
			const leading = start.length - start.trimStart().length;
			line += countLineBreaks(start.slice(0, leading));
			rows.push({ line, cells: result.data, error: result.errors[0]?.message });
			line += countLineBreaks(start.slice(leading));
			offset = result.meta.cursor;
		},
	});
	const [header, ...body] = rows;
	if (!header)
		return { fatal: { line: 1, field: null, code: "validation_failed", message: "the file holds no header row" } };
	const columns = header.cells.map((cell) => cell.trim());
	const missing = Object.keys(mapping).find((column) => !columns.includes(column));
	if (missing !== undefined) {
		return {
			fatal: {
				line: header.line,
				field: `mapping.${missing}`,
				code: "validation_failed",
				message: `column '${missing}' is not in the header (${columns.join(", ")})`,
			},
		};
	}
	const targets = columns.map((column) => mapping[column] ?? column);
	return {
		records: body.map(({ line, cells, error }) => {
			if (error) return { line, field: null, code: "malformed_csv", message: error };
			if (cells.length !== columns.length) {
				return {
					line,
					field: null,
					code: "malformed_csv",
					message: `the row has ${cells.length} cells; the header has ${columns.length}`,
				};
			}
			const fields: Record<string, unknown> = {};
			cells.forEach((cell, i) => {
				const target = targets[i] as string;
				// Columns the import does not know are the rest of the caller's spreadsheet; empty cells are absent.
				if (!shape.fields.includes(target) || cell.trim() === "") return;
				const value = shape.integers?.includes(target) && /^-?\d+$/.test(cell.trim()) ? Number(cell.trim()) : cell;
				setPath(fields, target.split("."), value);
			});
			return { line, fields };
		}),
	};
}

const countLineBreaks = (text: string) => text.match(/\r\n|\r|\n/g)?.length ?? 0;

function setPath(target: Record<string, unknown>, path: string[], value: unknown) {
	const [head, ...rest] = path as [string, ...string[]];
	if (rest.length === 0) {
		target[head] = value;
		return;
	}
	if (typeof target[head] !== "object" || target[head] === null) target[head] = {};
	setPath(target[head] as Record<string, unknown>, rest, value);
}
