// A minimal ICC v2 display profile for sRGB (D50-adapted primaries, gamma 2.2), the output intent a
// PDF/A file declares for its device RGB colours. Built byte by byte so no binary asset is shipped.

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));
const uint32 = (n: number): number[] => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const uint16 = (n: number): number[] => [(n >>> 8) & 255, n & 255];
const pad4 = (bytes: number[]): number[] => [...bytes, ...new Array((4 - (bytes.length % 4)) % 4).fill(0)];

/** An XYZType tag from s15Fixed16 values (value × 65536). */
const xyz = (x: number, y: number, z: number): number[] => [
	...ascii("XYZ "),
	0,
	0,
	0,
	0,
	...uint32(x),
	...uint32(y),
	...uint32(z),
];

function textDescription(text: string): number[] {
	return [
		...ascii("desc"),
		...[0, 0, 0, 0],
		...uint32(text.length + 1),
		...ascii(text),
		0,
		...uint32(0), // Unicode language code
		...uint32(0), // Unicode count
		...uint16(0), // ScriptCode code
		0, // ScriptCode count
		...new Array(67).fill(0),
	];
}

const text = (value: string): number[] => [...ascii("text"), 0, 0, 0, 0, ...ascii(value), 0];

/** gamma 2.2 as u8Fixed8Number (0x0233). */
const gammaCurve = (): number[] => [...ascii("curv"), 0, 0, 0, 0, ...uint32(1), ...uint16(0x0233)];

const D50 = [0xf6d6, 0x10000, 0xd32d] as const;

export function srgbIccProfile(): Uint8Array {
	const curve = pad4(gammaCurve());
	const tags: [string, number[]][] = [
		["desc", pad4(textDescription("sRGB IEC61966-2.1"))],
		["cprt", pad4(text("No copyright, use freely"))],
		["wtpt", xyz(...D50)],
		["rXYZ", xyz(0x6fa2, 0x38f5, 0x0390)],
		["gXYZ", xyz(0x6299, 0xb785, 0x18da)],
		["bXYZ", xyz(0x24a0, 0x0f84, 0xb6cf)],
		["rTRC", curve],
		["gTRC", curve],
		["bTRC", curve],
	];
	const tableSize = 4 + tags.length * 12;
	let offset = 128 + tableSize;
	const table: number[] = [...uint32(tags.length)];
	const data: number[] = [];
	for (const [signature, bytes] of tags) {
		table.push(...ascii(signature), ...uint32(offset), ...uint32(bytes.length));
		data.push(...bytes);
		offset += bytes.length;
	}
	const size = offset;
	const header = [
		...uint32(size),
		...uint32(0), // preferred CMM
		...uint32(0x02100000), // version 2.1
		...ascii("mntr"),
		...ascii("RGB "),
		...ascii("XYZ "),
		...uint16(2026),
		...uint16(1),
		...uint16(1),
		...uint16(0),
		...uint16(0),
		...uint16(0),
		...ascii("acsp"),
		...new Array(24).fill(0), // platform, flags, manufacturer, model, attributes
		...uint32(0), // perceptual rendering intent
		...uint32(D50[0]),
		...uint32(D50[1]),
		...uint32(D50[2]),
		...new Array(48).fill(0), // creator, profile id, reserved
	];
	return Uint8Array.from([...header, ...table, ...data]);
}
