import { describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATES, renderMessage, TEMPLATE_KINDS, unknownPlaceholders } from "../../src/domain/templates";

describe("templates", () => {
	it("defaults use only the placeholders their kind fills", () => {
		for (const kind of TEMPLATE_KINDS) {
			const { subject, body } = DEFAULT_TEMPLATES[kind];
			expect(unknownPlaceholders(`${subject}\n${body}`, kind)).toEqual([]);
		}
	});

	it("names placeholders a kind cannot fill", () => {
		expect(unknownPlaceholders("{{ invoice.number }} {{invoice.nmber}} {{statement.to}}", "invoice")).toEqual([
			"invoice.nmber",
			"statement.to",
		]);
	});

	it("escapes the HTML body's template and values, and keeps the subject on one line", () => {
		const message = renderMessage(
			{ subject: "Invoice {{invoice.number}}", body: "Dear {{customer.name}} & co,\n\nthanks." },
			{ "invoice.number": "INV-1\r\nBcc: x@example.com", "customer.name": "<script>alert(1)</script>" },
		);
		expect(message.subject).toBe("Invoice INV-1 Bcc: x@example.com");
		expect(message.text).toBe("Dear <script>alert(1)</script> & co,\n\nthanks.");
		expect(message.html).toBe("<p>Dear &lt;script&gt;alert(1)&lt;/script&gt; &amp; co,</p>\n<p>thanks.</p>");
	});
});
