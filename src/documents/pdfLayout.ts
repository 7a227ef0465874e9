import fontkit from "@pdf-lib/fontkit";
import { degrees, type PDFDocument, type PDFFont, type PDFPage, rgb } from "pdf-lib";
import regularFontBytes from "./fonts/DejaVuSans.ttf";
import boldFontBytes from "./fonts/DejaVuSans-Bold.ttf";
import type { Logo } from "./model";

// A4 in points, and the frame every page keeps free for the footer.
export const PAGE_WIDTH = 595.28;
export const PAGE_HEIGHT = 841.89;
export const LEFT = 42;
export const RIGHT = PAGE_WIDTH - 42;
const TOP = PAGE_HEIGHT - 42;
const BOTTOM = 64;

export const GREY = rgb(0.42, 0.42, 0.42);
const RULE = rgb(0.78, 0.78, 0.78);
const SHADE = rgb(0.94, 0.94, 0.94);
const BLACK = rgb(0, 0, 0);

export type TextStyle = { size?: number; bold?: boolean; grey?: boolean };
export type Align = "left" | "right";
export type Column = { title: string; width: number; align: Align };

const LINE_GAP = 1.3;

/**
 * Pages of one document with a cursor moving down them: text, rules and tables that break onto a new
 * page (with the document's running header, and the table's header again) when the page is full.
 */
export class PageWriter {
	readonly pages: PDFPage[] = [];
	y = TOP;
	private readonly regular: PDFFont;
	private readonly bold: PDFFont;
	/** Draws the running header of every page after the first; set once the first page is laid out. */
	continuationHeader: ((writer: PageWriter) => void) | null = null;

	private constructor(
		readonly doc: PDFDocument,
		fonts: { regular: PDFFont; bold: PDFFont },
	) {
		this.regular = fonts.regular;
		this.bold = fonts.bold;
		this.addPage();
	}

	static async open(doc: PDFDocument): Promise<PageWriter> {
		doc.registerFontkit(fontkit);
		// The fonts are subset ahead of time (scripts/subset-fonts.sh) and embedded whole: pdf-lib's own
		// subsetting runs through fontkit's stream shim, whose one module-wide tick queue would let one
		// request's rendering resume inside another's, which workerd refuses.
		const [regular, bold] = await Promise.all([doc.embedFont(regularFontBytes), doc.embedFont(boldFontBytes)]);
		return new PageWriter(doc, { regular, bold });
	}

	get page(): PDFPage {
		return this.pages[this.pages.length - 1] as PDFPage;
	}

	private addPage() {
		this.pages.push(this.doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]));
		this.y = TOP;
		this.continuationHeader?.(this);
	}

	/** Moves to a new page unless `height` points still fit above the footer. */
	ensure(height: number): boolean {
		if (this.y - height >= BOTTOM) return false;
		this.addPage();
		return true;
	}

	font(style: TextStyle = {}) {
		return style.bold ? this.bold : this.regular;
	}

	width(text: string, style: TextStyle = {}) {
		return this.font(style).widthOfTextAtSize(text, style.size ?? 9);
	}

	lineHeight(style: TextStyle = {}) {
		return (style.size ?? 9) * LINE_GAP;
	}

	/** Draws one line of text with its baseline `size` below `top`; right-aligned text ends at `x`. */
	textAt(text: string, x: number, top: number, style: TextStyle = {}, align: Align = "left") {
		const size = style.size ?? 9;
		this.page.drawText(text, {
			x: align === "right" ? x - this.width(text, style) : x,
			y: top - size,
			size,
			font: this.font(style),
			color: style.grey ? GREY : BLACK,
		});
	}

	/** Splits text into lines no wider than `width`, breaking at spaces (or inside a word too long to fit). */
	wrap(text: string, width: number, style: TextStyle = {}): string[] {
		const lines: string[] = [];
		for (const paragraph of text.split("\n")) {
			let line = "";
			for (const word of paragraph.split(/\s+/).filter(Boolean)) {
				const candidate = line ? `${line} ${word}` : word;
				if (this.width(candidate, style) <= width) {
					line = candidate;
					continue;
				}
				if (line) lines.push(line);
				line = word;
				while (this.width(line, style) > width && line.length > 1) {
					let cut = line.length - 1;
					while (cut > 1 && this.width(line.slice(0, cut), style) > width) cut--;
					lines.push(line.slice(0, cut));
					line = line.slice(cut);
				}
			}
			lines.push(line);
		}
		return lines;
	}

	/** A block of wrapped lines at the cursor, breaking pages between lines. */
	paragraph(text: string, style: TextStyle = {}, x = LEFT, width = RIGHT - LEFT) {
		for (const line of this.wrap(text, width, style)) {
			this.ensure(this.lineHeight(style));
			this.textAt(line, x, this.y, style);
			this.y -= this.lineHeight(style);
		}
	}

	/** Label/value lines in a column at `x`, starting at `top`; returns where the column ends. */
	pairs(rows: [string, string][], x: number, top: number, width: number): number {
		let y = top;
		for (const [label, value] of rows) {
			this.textAt(label, x, y, { grey: true });
			this.textAt(value, x + width, y, {}, "right");
			y -= this.lineHeight();
		}
		return y;
	}

	rule(y = this.y, from = LEFT, to = RIGHT) {
		this.page.drawLine({ start: { x: from, y }, end: { x: to, y }, thickness: 0.5, color: RULE });
	}

	private tableHeader(columns: Column[]) {
		const height = this.lineHeight({ bold: true }) + 4;
		this.page.drawRectangle({ x: LEFT, y: this.y - height, width: RIGHT - LEFT, height, color: SHADE });
		let x = LEFT;
		for (const column of columns) {
			const cellX = column.align === "right" ? x + column.width - 3 : x + 3;
			this.textAt(column.title, cellX, this.y - 2, { bold: true, size: 8 }, column.align);
			x += column.width;
		}
		this.y -= height + 2;
	}

	/**
	 * A table whose first column wraps; rows never split across pages, and every page the table
	 * continues on starts with its header again.
	 */
	table(columns: Column[], rows: string[][]) {
		this.ensure(this.lineHeight({ bold: true }) * 3);
		this.tableHeader(columns);
		const first = columns[0] as Column;
		for (const row of rows) {
			const wrapped = this.wrap(row[0] ?? "", first.width - 6);
			const height = wrapped.length * this.lineHeight() + 3;
			if (this.ensure(height)) this.tableHeader(columns);
			const firstX = first.align === "right" ? LEFT + first.width - 3 : LEFT + 3;
			wrapped.forEach((line, i) => {
				this.textAt(line, firstX, this.y - i * this.lineHeight(), {}, first.align);
			});
			let x = LEFT + first.width;
			for (const [index, column] of columns.entries()) {
				if (index === 0) continue;
				const cell = row[index] ?? "";
				this.textAt(cell, column.align === "right" ? x + column.width - 3 : x + 3, this.y, {}, column.align);
				x += column.width;
			}
			this.y -= height;
			this.rule(this.y + 1.5);
		}
	}

	async image(logo: Logo, x: number, top: number, maxWidth: number, maxHeight: number): Promise<number> {
		const image =
			logo.contentType === "image/png" ? await this.doc.embedPng(logo.bytes) : await this.doc.embedJpg(logo.bytes);
		const { width, height } = image.scaleToFit(maxWidth, maxHeight);
		this.page.drawImage(image, { x, y: top - height, width, height });
		return height;
	}

	/** Dark modules of a QR code as squares, `size` points wide with its top-left corner at (x, top). */
	qrCode(modules: boolean[][], x: number, top: number, size: number) {
		const cell = size / modules.length;
		modules.forEach((row, r) => {
			row.forEach((dark, c) => {
				if (dark)
					this.page.drawRectangle({
						x: x + c * cell,
						y: top - (r + 1) * cell,
						width: cell,
						height: cell,
						color: BLACK,
					});
			});
		});
	}

	/** Page numbers and the footer text on every page, and the draft watermark when there is one. */
	finish({ footer, watermark }: { footer: string | null; watermark: string | null }) {
		const total = this.pages.length;
		const footerLines = footer ? this.wrap(footer, RIGHT - LEFT - 90, { size: 7.5 }).slice(0, 3) : [];
		this.pages.forEach((page, index) => {
			const pageLabel = `Page ${index + 1} of ${total}`;
			const style = { size: 7.5, grey: true };
			const font = this.font(style);
			page.drawLine({
				start: { x: LEFT, y: BOTTOM - 12 },
				end: { x: RIGHT, y: BOTTOM - 12 },
				thickness: 0.5,
				color: RULE,
			});
			footerLines.forEach((line, i) => {
				page.drawText(line, { x: LEFT, y: BOTTOM - 22 - i * 9.5, size: 7.5, font, color: GREY });
			});
			page.drawText(pageLabel, {
				x: RIGHT - font.widthOfTextAtSize(pageLabel, 7.5),
				y: BOTTOM - 22,
				size: 7.5,
				font,
				color: GREY,
			});
			if (watermark) {
				const size = 110;
				const bold = this.font({ bold: true });
				const width = bold.widthOfTextAtSize(watermark, size);
				// Centred on the page along its diagonal.
				const angle = Math.atan2(PAGE_HEIGHT, PAGE_WIDTH);
				page.drawText(watermark, {
					x: PAGE_WIDTH / 2 - (Math.cos(angle) * width) / 2 + (Math.sin(angle) * size) / 3,
					y: PAGE_HEIGHT / 2 - (Math.sin(angle) * width) / 2 - (Math.cos(angle) * size) / 3,
					size,
					font: bold,
					color: rgb(0.85, 0.2, 0.2),
					opacity: 0.18,
					rotate: degrees((angle * 180) / Math.PI),
				});
			}
		});
	}
}
