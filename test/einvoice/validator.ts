// The shared offline validator (XSD layer) run on a rendered document. CI has shared/ beside the clone,
// so the path is relative to the repository root.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

export const VALIDATOR_ROOT = path.resolve("../shared/validators/en16931");
const VALIDATE = path.join(VALIDATOR_ROOT, "validate.sh");
const run = promisify(execFile);
const scratch = mkdtempSync(path.join(tmpdir(), "einvoice-"));

/** The fatal lines validate.sh prints for `file` (empty when it passes). */
export async function xsdFindings(file: string): Promise<string[]> {
	const result = await run(VALIDATE, ["--layers", "xsd", file]).catch((error: { stdout?: string; code?: number }) => {
		if (error.code !== 1) throw error;
		return { stdout: error.stdout ?? "" };
	});
	return result.stdout.split("\n").filter((line) => line.startsWith("fatal"));
}

/** Writes `xml` to a scratch file and validates it. */
export function xsdFindingsOfXml(name: string, xml: string): Promise<string[]> {
	const file = path.join(scratch, name);
	writeFileSync(file, xml);
	return xsdFindings(file);
}
