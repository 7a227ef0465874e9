import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
	DEFAULT_INVOICE_NUMBER_FORMAT,
	formatInvoiceNumber,
	type NumberFormat,
	numberParts,
	parseNumberFormat,
} from "../../src/domain/invoiceNumber";

function format(text: string): NumberFormat {
	const parsed = parseNumberFormat(text);
	if (!parsed) throw new Error(`test fixture: ${text} is not a valid format`);
	return parsed;
}

describe("parseNumberFormat", () => {
	it("parses the default format", () => {
		expect(DEFAULT_INVOICE_NUMBER_FORMAT).toBe("INV-{YYYY}-{NNNN}");
		expect(parseNumberFormat(DEFAULT_INVOICE_NUMBER_FORMAT)).toEqual({
			prefix: "INV-{YYYY}-",
			width: 4,
			suffix: "",
			resetsYearly: true,
		});
	});

	it.each<[string, NumberFormat]>([
		["{N}", { prefix: "", width: 1, suffix: "", resetsYearly: false }],
		["{NNNNNNNN}", { prefix: "", width: 8, suffix: "", resetsYearly: false }],
		["INV-{NNNNN}", { prefix: "INV-", width: 5, suffix: "", resetsYearly: false }],
		["{NNNN}/{YYYY}", { prefix: "", width: 4, suffix: "/{YYYY}", resetsYearly: true }],
		["{YYYY}-{NNN}-{YYYY}", { prefix: "{YYYY}-", width: 3, suffix: "-{YYYY}", resetsYearly: true }],
		["{YYYY}{NN}", { prefix: "{YYYY}", width: 2, suffix: "", resetsYearly: true }],
		["ACME {NNNN} (draft)", { prefix: "ACME ", width: 4, suffix: " (draft)", resetsYearly: false }],
		["$&-{NNN}-$1", { prefix: "$&-", width: 3, suffix: "-$1", resetsYearly: false }],
		["Ré-{NNN}", { prefix: "Ré-", width: 3, suffix: "", resetsYearly: false }],
	])("parses %j", (text, expected) => {
		expect(parseNumberFormat(text)).toEqual(expected);
	});

	it.each([
		// no sequence placeholder
		"",
		"INV-0001",
		"INV-{YYYY}",
		"INV-NNNN",
		"{}",
		"{nnnn}",
		"{ NNNN }",
		"{N N}",
		// two sequence placeholders
		"{NNNN}-{NNNN}",
		"{NN}{NNN}",
		"INV-{N}-{YYYY}-{N}",
		// stray or unknown braces
		"INV-{NNNN",
		"INV-NNNN}",
		"INV-{NNNN}}",
		"INV-{{NNNN}",
		"{{NNNN}}",
		"INV-{}-{NNNN}",
		"INV-{YY}-{NNNN}",
		"INV-{yyyy}-{NNNN}",
		"INV-{MM}-{NNNN}",
		"INV-{YYYY-{NNNN}",
		"INV-YYYY}-{NNNN}",
		"}{NNNN}{",
		"{N{NNNN}}",
	])("rejects %j", (text) => {
		expect(parseNumberFormat(text)).toBeNull();
	});

	// Braces around the placeholder that would spell "{YYYY}" once it is removed are still stray.
	it.each(["{YYYY{NNNN}}", "{YY{NNNN}YY}", "{{NNNN}YYYY}", "INV-{Y{NN}YYY}"])("rejects %j (stray braces)", (text) => {
		expect(parseNumberFormat(text)).toBeNull();
	});
});

describe("numberParts", () => {
	it("fills in the year and resets the sequence per year for a yearly format", () => {
		const f = format(DEFAULT_INVOICE_NUMBER_FORMAT);
		expect(numberParts(f, 2026)).toEqual({ prefix: "INV-2026-", suffix: "", width: 4, period: 2026 });
		expect(numberParts(f, 2027)).toEqual({ prefix: "INV-2027-", suffix: "", width: 4, period: 2027 });
		expect(numberParts(format("{YYYY}-{NNN}-{YYYY}"), 2026)).toEqual({
			prefix: "2026-",
			suffix: "-2026",
			width: 3,
			period: 2026,
		});
		expect(numberParts(format("{NNNN}/{YYYY}"), 2031)).toEqual({ prefix: "", suffix: "/2031", width: 4, period: 2031 });
	});

	it("never resets a format without {YYYY} (period 0 in every year)", () => {
		const f = format("INV-{NNNNN}");
		for (const year of [1999, 2026, 2027, 9999]) {
			expect(numberParts(f, year)).toEqual({ prefix: "INV-", suffix: "", width: 5, period: 0 });
		}
	});

	it("treats replacement patterns in the format literally", () => {
		expect(numberParts(format("$&-{YYYY}-{NNN}-$1"), 2026)).toMatchObject({ prefix: "$&-2026-", suffix: "-$1" });
	});
});

describe("formatInvoiceNumber", () => {
	const f = format(DEFAULT_INVOICE_NUMBER_FORMAT);

	it.each<[number, string]>([
		[1, "INV-2026-0001"],
		[7, "INV-2026-0007"],
		[42, "INV-2026-0042"],
		[999, "INV-2026-0999"],
		[9999, "INV-2026-9999"],
		[10000, "INV-2026-10000"],
		[123456, "INV-2026-123456"],
	])("default format, sequence %i in 2026 → %s", (sequence, expected) => {
		expect(formatInvoiceNumber(f, 2026, sequence)).toBe(expected);
	});

	it.each<[string, number, number, string]>([
		["{N}", 2026, 7, "7"],
		["{N}", 2026, 12, "12"],
		["{NN}", 2026, 7, "07"],
		["{NNNNNNNN}", 2026, 42, "00000042"],
		["INV-{NNNNN}", 2026, 7, "INV-00007"],
		["INV-{NNNNN}", 2027, 7, "INV-00007"],
		["{NNNN}/{YYYY}", 2026, 7, "0007/2026"],
		["{YYYY}-{NNN}-{YYYY}", 2026, 7, "2026-007-2026"],
		["{YYYY}{NN}", 2026, 123, "2026123"],
		["ACME {NNNN} (draft)", 2026, 5, "ACME 0005 (draft)"],
		["$&-{YYYY}-{NNN}-$1", 2026, 7, "$&-2026-007-$1"],
	])("%j in %i, sequence %i → %j", (text, year, sequence, expected) => {
		expect(formatInvoiceNumber(format(text), year, sequence)).toBe(expected);
	});

	const literal = fc.array(fc.constantFrom(..."ABCXYZ-/_ .#$&01289é"), { maxLength: 8 }).map((chars) => chars.join(""));
	const formatArb = fc.record({
		prefix: literal,
		suffix: literal,
		width: fc.integer({ min: 1, max: 10 }),
		yearInPrefix: fc.boolean(),
		yearInSuffix: fc.boolean(),
	});
	const render = (p: { prefix: string; suffix: string; width: number; yearInPrefix: boolean; yearInSuffix: boolean }) =>
		`${p.prefix}${p.yearInPrefix ? "{YYYY}" : ""}{${"N".repeat(p.width)}}${p.yearInSuffix ? "{YYYY}" : ""}${p.suffix}`;

	it("places the zero-padded sequence between the filled-in prefix and suffix", () => {
		fc.assert(
			fc.property(
				formatArb,
				fc.integer({ min: 1000, max: 9999 }),
				fc.integer({ min: 1, max: 1_000_000_000 }),
				(p, year, sequence) => {
					const f = format(render(p));
					const yearly = p.yearInPrefix || p.yearInSuffix;
					expect(f.width).toBe(p.width);
					expect(f.resetsYearly).toBe(yearly);
					const parts = numberParts(f, year);
					expect(parts.period).toBe(yearly ? year : 0);
					const prefix = `${p.prefix}${p.yearInPrefix ? year : ""}`;
					const suffix = `${p.yearInSuffix ? year : ""}${p.suffix}`;
					expect(parts).toMatchObject({ prefix, suffix, width: p.width });
					const number = formatInvoiceNumber(f, year, sequence);
					expect(number.startsWith(prefix)).toBe(true);
					expect(number.endsWith(suffix)).toBe(true);
					const digits = number.slice(prefix.length, number.length - suffix.length);
					expect(digits).toMatch(/^\d+$/);
					expect(digits.length).toBe(Math.max(p.width, String(sequence).length));
					expect(Number(digits)).toBe(sequence);
				},
			),
			{ numRuns: 500 },
		);
	});

	it("never gives two invoices of one format the same number within a period", () => {
		fc.assert(
			fc.property(
				formatArb,
				fc.integer({ min: 1000, max: 9999 }),
				fc.integer({ min: 1000, max: 9999 }),
				fc.integer({ min: 1, max: 1_000_000 }),
				fc.integer({ min: 1, max: 1_000_000 }),
				(p, y1, y2, s1, s2) => {
					const f = format(render(p));
					// Numbers are unique per (period, sequence): a yearly format restarts each year, so the
					// year must tell its numbers apart; a never-resetting format has a single period.
					const k1 = `${numberParts(f, y1).period}:${s1}`;
					const k2 = `${numberParts(f, y2).period}:${s2}`;
					if (k1 !== k2) expect(formatInvoiceNumber(f, y1, s1)).not.toBe(formatInvoiceNumber(f, y2, s2));
				},
			),
			{ numRuns: 500 },
		);
	});
});
