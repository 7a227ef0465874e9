// Structured JSON logs: one object per line, which Workers Logs indexes field by field.
export type Level = "debug" | "info" | "warn" | "error";

const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export interface Logger {
	debug(message: string, fields?: LogFields): void;
	info(message: string, fields?: LogFields): void;
	warn(message: string, fields?: LogFields): void;
	error(message: string, fields?: LogFields): void;
	child(fields: LogFields): Logger;
}

export function createLogger(base: LogFields = {}, minLevel: Level = "info"): Logger {
	const write = (level: Level, message: string, fields?: LogFields) => {
		if (RANK[level] < RANK[minLevel]) return;
		const line = JSON.stringify({ level, message, time: new Date().toISOString(), ...base, ...fields });
		if (level === "error") console.error(line);
		else if (level === "warn") console.warn(line);
		else console.log(line);
	};
	return {
		debug: (message, fields) => write("debug", message, fields),
		info: (message, fields) => write("info", message, fields),
		warn: (message, fields) => write("warn", message, fields),
		error: (message, fields) => write("error", message, fields),
		child: (fields) => createLogger({ ...base, ...fields }, minLevel),
	};
}
