import { describe, expect, it } from "vitest";
import { AppError } from "../../src/lib/errors";
import { etagFor, versionFromIfMatch } from "../../src/lib/etag";

describe("etagFor", () => {
	it("quotes the version as a strong ETag", () => {
		expect(etagFor(1)).toBe('"1"');
		expect(etagFor(42)).toBe('"42"');
	});
});

describe("versionFromIfMatch", () => {
	it.each([
		['"3"', 3],
		['W/"3"', 3],
		['  "12"  ', 12],
		[etagFor(7), 7],
	])("reads %j as version %i", (header, version) => {
		expect(versionFromIfMatch(header)).toBe(version);
	});

	it.each([undefined, "*", " * "])("names no version for %j", (header) => {
		expect(versionFromIfMatch(header)).toBe(undefined);
	});

	it.each(["3", '"abc"', '"3", "4"', 'w/"3"', '"-1"', ""])("refuses %j with precondition_failed", (header) => {
		let thrown: unknown;
		try {
			versionFromIfMatch(header);
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(AppError);
		expect(thrown).toMatchObject({ code: "precondition_failed", status: 412 });
		expect((thrown as AppError).errors?.[0]).toMatchObject({ location: "header", field: "If-Match" });
	});
});
