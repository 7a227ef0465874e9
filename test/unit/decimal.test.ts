import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
	type Decimal,
	formatDecimal,
	parseDecimal,
	pow10,
	roundHalfAwayFromZero,
	toSafeNumber,
} from "../../src/domain/decimal";

const RUNS = { numRuns: 500 };
const abs = (n: bigint) => (n < 0n ? -n : n);
const sign = (n: bigint) => (n < 0n ? -1n : n > 0n ? 1n : 0n);

/** A decimal with no trailing zeros in its fraction, as parseDecimal produces. */
const canonical = ({ units, scale }: Decimal): Decimal => {
	let u = units;
	let s = scale;
	while (s > 0 && u % 10n === 0n) {
		u /= 10n;
		s -= 1;
	}
	return { units: u, scale: s };
};

describe("parseDecimal", () => {
	describe("numbers", () => {
		it.each<[number, Decimal]>([
			[0, { units: 0n, scale: 0 }],
			[-0, { units: 0n, scale: 0 }],
			[1, { units: 1n, scale: 0 }],
			[42, { units: 42n, scale: 0 }],
			[1.5, { units: 15n, scale: 1 }],
			[8.875, { units: 8875n, scale: 3 }],
			[0.1, { units: 1n, scale: 1 }],
			[-1.25, { units: -125n, scale: 2 }],
			[-7, { units: -7n, scale: 0 }],
			[0.000001, { units: 1n, scale: 6 }],
			[123.456789, { units: 123456789n, scale: 6 }],
			[1_000_000_000, { units: 1_000_000_000n, scale: 0 }],
			[Number.MAX_SAFE_INTEGER, { units: 9007199254740991n, scale: 0 }],
		])("parses %s exactly", (value, expected) => {
			expect(parseDecimal(value, 6)).toEqual(expected);
		});

		it.each([1e-7, 1.5e-7, -1e-7, 1e21, -1e21, 1.2e25, Number.MIN_VALUE])(
			"rejects %s, whose shortest form is an exponent",
			(value) => {
				expect(parseDecimal(value, 6)).toBeNull();
				// Even when the scale would allow it: exponent forms are refused outright.
				expect(parseDecimal(value, 30)).toBeNull();
			},
		);

		it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])("rejects %s", (value) => {
			expect(parseDecimal(value, 6)).toBeNull();
		});

		it("rejects a float artefact beyond the allowed scale", () => {
			expect(parseDecimal(0.1 + 0.2, 6)).toBeNull(); // 0.30000000000000004
			expect(parseDecimal(0.1 + 0.2, 17)).toEqual({ units: 30000000000000004n, scale: 17 });
		});

		it("rejects a number with more decimals than maxScale", () => {
			expect(parseDecimal(1.2345, 4)).toEqual({ units: 12345n, scale: 4 });
			expect(parseDecimal(1.23456, 4)).toBeNull();
			expect(parseDecimal(1.5, 0)).toBeNull();
		});

		it("parses every safe integer to itself at scale 0", () => {
			fc.assert(
				fc.property(fc.maxSafeInteger(), (n) => {
					expect(parseDecimal(n, 0)).toEqual({ units: BigInt(n), scale: 0 });
				}),
				RUNS,
			);
		});

		it("parses any finite double to its shortest decimal form, or refuses it", () => {
			fc.assert(
				fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 20 }), (x, max) => {
					const parsed = parseDecimal(x, max);
					const text = String(x);
					const fraction = text.split(".")[1] ?? "";
					const expectAccepted = !/e/i.test(text) && fraction.length <= max;
					expect(parsed !== null).toBe(expectAccepted);
					if (parsed) {
						expect(parsed.scale).toBeLessThanOrEqual(max);
						expect(Number(formatDecimal(parsed))).toBe(x === 0 ? 0 : x);
					}
				}),
				RUNS,
			);
		});
	});

	describe("strings", () => {
		it.each<[string, number, Decimal]>([
			["0", 6, { units: 0n, scale: 0 }],
			["1.5", 6, { units: 15n, scale: 1 }],
			["8.875", 4, { units: 8875n, scale: 3 }],
			["19", 4, { units: 19n, scale: 0 }],
			["0.000001", 6, { units: 1n, scale: 6 }],
			["-3.5", 6, { units: -35n, scale: 1 }],
			["-0", 6, { units: 0n, scale: 0 }],
			["-0.000", 6, { units: 0n, scale: 0 }],
			["007", 6, { units: 7n, scale: 0 }],
			["00.50", 6, { units: 5n, scale: 1 }],
			[" 2.50 ", 6, { units: 25n, scale: 1 }],
			["\n\t12\t", 6, { units: 12n, scale: 0 }],
			["12345678901234567890.123456", 6, { units: 12345678901234567890123456n, scale: 6 }],
			["1000000000", 6, { units: 1_000_000_000n, scale: 0 }],
		])("parses %j (maxScale %i) exactly", (text, maxScale, expected) => {
			expect(parseDecimal(text, maxScale)).toEqual(expected);
		});

		it("drops trailing zeros, and they do not count against maxScale", () => {
			expect(parseDecimal("1.000000", 6)).toEqual({ units: 1n, scale: 0 });
			expect(parseDecimal("1.0000000000", 0)).toEqual({ units: 1n, scale: 0 });
			expect(parseDecimal("1.2300", 2)).toEqual({ units: 123n, scale: 2 });
			expect(parseDecimal("19.00", 4)).toEqual(parseDecimal("19", 4));
			expect(parseDecimal("8.8750", 4)).toEqual(parseDecimal("8.875", 4));
		});

		it("rejects more significant decimals than maxScale", () => {
			expect(parseDecimal("0.0000001", 6)).toBeNull();
			expect(parseDecimal("1.1234567", 6)).toBeNull();
			expect(parseDecimal("1.12345", 4)).toBeNull();
			expect(parseDecimal("-1.12345", 4)).toBeNull();
			expect(parseDecimal("1.5", 0)).toBeNull();
			expect(parseDecimal("1.12340", 4)).toEqual({ units: 11234n, scale: 4 });
		});

		it.each([
			"",
			" ",
			"abc",
			"1.",
			".5",
			"-.5",
			"+1",
			"1e-7",
			"1E3",
			"1e+21",
			"1,5",
			"1.2.3",
			"--1",
			"- 1",
			"1 000",
			"1_000",
			"0x10",
			"0b1",
			"Infinity",
			"-Infinity",
			"NaN",
			"١٢", // Arabic-Indic digits
			"１２", // full-width digits
			"1.5abc",
			"abc1.5",
			"1. 5",
		])("rejects %j", (text) => {
			expect(parseDecimal(text, 6)).toBeNull();
		});

		it("round-trips with formatDecimal for any decimal up to the scale", () => {
			fc.assert(
				fc.property(
					fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }),
					fc.integer({ min: 0, max: 6 }),
					(units, scale) => {
						const decimal = { units, scale };
						const parsed = parseDecimal(formatDecimal(decimal), 6);
						expect(parsed).toEqual(canonical(decimal));
						expect(parseDecimal(formatDecimal(decimal), scale)).toEqual(canonical(decimal));
					},
				),
				RUNS,
			);
		});

		it("accepts its own canonical text, and any zero-padded variant gives the same decimal", () => {
			fc.assert(
				fc.property(
					fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
					fc.integer({ min: 0, max: 6 }),
					fc.integer({ min: 0, max: 4 }),
					fc.integer({ min: 0, max: 4 }),
					(units, scale, leading, trailing) => {
						const expected = canonical({ units, scale });
						const text = formatDecimal(expected);
						expect(formatDecimal(parseDecimal(text, 6) ?? { units: -1n, scale: 99 })).toBe(text);
						const negative = text.startsWith("-");
						const body = negative ? text.slice(1) : text;
						const padded = `${negative ? "-" : ""}${"0".repeat(leading)}${body}${
							trailing > 0 ? (body.includes(".") ? "" : ".") + "0".repeat(trailing) : ""
						}`;
						expect(parseDecimal(padded, 6)).toEqual(expected);
					},
				),
				RUNS,
			);
		});
	});
});

describe("formatDecimal", () => {
	it.each<[Decimal, string]>([
		[{ units: 0n, scale: 0 }, "0"],
		[{ units: 7n, scale: 0 }, "7"],
		[{ units: -100n, scale: 0 }, "-100"],
		[{ units: 5n, scale: 1 }, "0.5"],
		[{ units: -5n, scale: 1 }, "-0.5"],
		[{ units: 5n, scale: 3 }, "0.005"],
		[{ units: -5n, scale: 3 }, "-0.005"],
		[{ units: 1n, scale: 6 }, "0.000001"],
		[{ units: 12345n, scale: 2 }, "123.45"],
		[{ units: 8875n, scale: 3 }, "8.875"],
		[{ units: 15n, scale: 1 }, "1.5"],
		[{ units: 12345678901234567890123456n, scale: 6 }, "12345678901234567890.123456"],
	])("formats %o as %j", (decimal, text) => {
		expect(formatDecimal(decimal)).toBe(text);
	});

	it("never produces an exponent or trailing zeros, and preserves the value", () => {
		fc.assert(
			fc.property(
				fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
				fc.integer({ min: 0, max: 12 }),
				(units, scale) => {
					const text = formatDecimal({ units, scale });
					expect(text).toMatch(/^-?\d+(\.\d*[1-9])?$/);
					const digits = text.split(".")[1]?.length ?? 0;
					expect(digits).toBeLessThanOrEqual(scale);
					// The value is preserved: the printed digits, rescaled, give the units back.
					expect(BigInt(text.replace(".", "")) * 10n ** BigInt(scale - digits)).toBe(units);
				},
			),
			RUNS,
		);
	});

	// summarizeTaxes keys tax lines by this text: "19" and "19.00" must not become two tax lines.
	it("prints a non-normalized decimal without trailing zeros, as documented", () => {
		expect(formatDecimal({ units: 1900n, scale: 2 })).toBe("19");
	});
});

describe("pow10", () => {
	it("is an exact power of ten", () => {
		expect(pow10(0)).toBe(1n);
		expect(pow10(2)).toBe(100n);
		expect(pow10(6)).toBe(1_000_000n);
		expect(pow10(30)).toBe(BigInt(`1${"0".repeat(30)}`));
	});
});

describe("roundHalfAwayFromZero", () => {
	it.each<[bigint, bigint, bigint]>([
		// exact halves
		[1n, 2n, 1n], // 0.5
		[3n, 2n, 2n], // 1.5
		[5n, 2n, 3n], // 2.5
		[7n, 2n, 4n], // 3.5
		[-1n, 2n, -1n], // -0.5
		[-3n, 2n, -2n], // -1.5
		[-5n, 2n, -3n], // -2.5
		[1n, -2n, -1n], // negative denominator
		[-5n, -2n, 3n], // both negative
		[15n, 10n, 2n],
		[25n, 10n, 3n],
		[-25n, 10n, -3n],
		[8875n, 10000n, 1n], // 0.8875
		[1_000_050n, 100n, 10_001n], // 10000.5
		// not halves
		[0n, 5n, 0n],
		[0n, -5n, 0n],
		[1n, 3n, 0n], // 0.333
		[2n, 3n, 1n], // 0.667
		[-1n, 3n, 0n],
		[-2n, 3n, -1n],
		[7n, 3n, 2n], // 2.333
		[8n, 3n, 3n], // 2.667
		[-7n, 3n, -2n],
		[-8n, 3n, -3n],
		[14_999n, 10_000n, 1n], // 1.4999
		[15_001n, 10_000n, 2n],
		[-14_999n, 10_000n, -1n],
		[10n, 10n, 1n],
		[-10n, 10n, -1n],
		[999n, 1n, 999n],
		[4n, 1_000_000n, 0n],
		[499_999n, 1_000_000n, 0n],
		[500_000n, 1_000_000n, 1n],
		// beyond 2^53
		[2n * 10n ** 30n + 1n, 2n, 10n ** 30n + 1n],
		[-(2n * 10n ** 30n + 1n), 2n, -(10n ** 30n + 1n)],
		[10n ** 30n - 1n, 10n ** 30n, 1n],
	])("round(%s / %s) = %s", (numerator, denominator, expected) => {
		expect(roundHalfAwayFromZero(numerator, denominator)).toBe(expected);
	});

	it("refuses a zero denominator", () => {
		expect(() => roundHalfAwayFromZero(1n, 0n)).toThrow(RangeError);
		expect(() => roundHalfAwayFromZero(0n, 0n)).toThrow(RangeError);
	});

	const numerator = fc.oneof(
		fc.bigInt({ min: -1000n, max: 1000n }),
		fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
	);
	const denominator = fc
		.oneof(fc.bigInt({ min: 1n, max: 20n }), fc.bigInt({ min: 1n, max: 10n ** 20n }))
		.chain((d) => fc.constantFrom(d, -d));

	it("is the nearest integer, with ties away from zero", () => {
		fc.assert(
			fc.property(numerator, denominator, (n, d) => {
				const r = roundHalfAwayFromZero(n, d);
				const error2 = abs(n - r * d) * 2n;
				expect(error2 <= abs(d)).toBe(true);
				if (error2 === abs(d)) {
					// A tie: r is the candidate farther from zero, on the side of n / d.
					expect(sign(r)).toBe(sign(n) * sign(d));
					expect(abs(r * d) > abs(n)).toBe(true);
				}
			}),
			RUNS,
		);
	});

	it("produces ties exactly on halves and rounds them away from zero", () => {
		fc.assert(
			fc.property(
				fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
				fc.bigInt({ min: 1n, max: 10n ** 12n }),
				(k, half) => {
					// (k + 1/2) with denominator 2·half: numerator (2k + 1)·half.
					const d = 2n * half;
					const n = (2n * k + 1n) * half;
					const expected = k >= 0n ? k + 1n : k;
					expect(roundHalfAwayFromZero(n, d)).toBe(expected);
					expect(roundHalfAwayFromZero(-n, d)).toBe(-expected);
				},
			),
			RUNS,
		);
	});

	it("agrees with a float reference on small operands", () => {
		// With |n|, d ≤ 1000 the float quotient is close enough that Math.round on |n/d| is exact.
		fc.assert(
			fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 1, max: 1000 }), (n, d) => {
				const reference = Math.sign(n) * Math.round(Math.abs(n) / d);
				expect(roundHalfAwayFromZero(BigInt(n), BigInt(d))).toBe(BigInt(reference));
			}),
			{ numRuns: 1000 },
		);
	});

	it("is odd, exact on multiples, and monotone", () => {
		fc.assert(
			fc.property(numerator, denominator, fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), (n, d, k) => {
				expect(roundHalfAwayFromZero(-n, d)).toBe(-roundHalfAwayFromZero(n, d));
				expect(roundHalfAwayFromZero(n, -d)).toBe(-roundHalfAwayFromZero(n, d));
				expect(roundHalfAwayFromZero(k * d, d)).toBe(k);
				const positive = abs(d);
				expect(roundHalfAwayFromZero(n + 1n, positive) >= roundHalfAwayFromZero(n, positive)).toBe(true);
			}),
			RUNS,
		);
	});
});

describe("toSafeNumber", () => {
	const MAX = BigInt(Number.MAX_SAFE_INTEGER);
	const MIN = BigInt(Number.MIN_SAFE_INTEGER);

	it("converts values within ±(2^53 − 1), bounds included", () => {
		expect(toSafeNumber(0n)).toBe(0);
		expect(toSafeNumber(-1n)).toBe(-1);
		expect(toSafeNumber(123_456n)).toBe(123_456);
		expect(toSafeNumber(MAX)).toBe(Number.MAX_SAFE_INTEGER);
		expect(toSafeNumber(MIN)).toBe(Number.MIN_SAFE_INTEGER);
	});

	it.each([MAX + 1n, MIN - 1n, 2n ** 64n, -(2n ** 64n), 10n ** 30n])("refuses %s", (value) => {
		expect(() => toSafeNumber(value)).toThrow(RangeError);
	});

	it("round-trips every safe value and refuses every unsafe one", () => {
		fc.assert(
			fc.property(fc.bigInt({ min: MIN, max: MAX }), (value) => {
				const number = toSafeNumber(value);
				expect(Number.isSafeInteger(number)).toBe(true);
				expect(BigInt(number)).toBe(value);
			}),
			RUNS,
		);
		fc.assert(
			fc.property(fc.bigInt({ min: 1n, max: 10n ** 30n }), fc.boolean(), (excess, negative) => {
				const value = negative ? MIN - excess : MAX + excess;
				expect(() => toSafeNumber(value)).toThrow(RangeError);
			}),
			RUNS,
		);
	});
});
