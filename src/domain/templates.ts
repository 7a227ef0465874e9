// Email and PDF-footer templates: `{{invoice.number}}`-style placeholders, filled per message.

export const TEMPLATE_KINDS = ["invoice", "reminder", "credit_note", "statement"] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

const SELLER_AND_CUSTOMER = ["seller.name", "customer.name"] as const;
const INVOICE_FIELDS = [
	"invoice.number",
	"invoice.issue_date",
	"invoice.due_date",
	"invoice.total",
	"invoice.balance",
	"invoice.currency",
	"invoice.pdf_url",
] as const;

/** The placeholders each kind of template may use. */
export const PLACEHOLDERS: Record<TemplateKind, readonly string[]> = {
	invoice: [...SELLER_AND_CUSTOMER, ...INVOICE_FIELDS],
	reminder: [...SELLER_AND_CUSTOMER, ...INVOICE_FIELDS, "invoice.days_overdue"],
	credit_note: [
		...SELLER_AND_CUSTOMER,
		"credit_note.number",
		"credit_note.amount",
		"credit_note.reason",
		"invoice.number",
	],
	statement: [...SELLER_AND_CUSTOMER, "statement.from", "statement.to", "statement.closing_balance"],
};

export const DEFAULT_TEMPLATES: Record<TemplateKind, { subject: string; body: string }> = {
	invoice: {
		subject: "Invoice {{invoice.number}} from {{seller.name}}",
		body:
			"Dear {{customer.name}},\n\nplease find attached invoice {{invoice.number}} of {{invoice.issue_date}} " +
			"for {{invoice.total}}, due on {{invoice.due_date}}.\n\nKind regards,\n{{seller.name}}",
	},
	reminder: {
		subject: "Payment reminder: invoice {{invoice.number}}",
		body:
			"Dear {{customer.name}},\n\nour records show {{invoice.balance}} still open on invoice {{invoice.number}}, " +
			"due on {{invoice.due_date}}. The invoice is attached; if you have paid in the meantime, please disregard " +
			"this reminder.\n\nKind regards,\n{{seller.name}}",
	},
	credit_note: {
		subject: "Credit note {{credit_note.number}} from {{seller.name}}",
		body:
			"Dear {{customer.name}},\n\nplease find attached credit note {{credit_note.number}} for " +
			"{{credit_note.amount}} on invoice {{invoice.number}}.\n\nKind regards,\n{{seller.name}}",
	},
	statement: {
		subject: "Statement of account {{statement.from}} – {{statement.to}}",
		body:
			"Dear {{customer.name}},\n\nplease find attached your statement of account from {{statement.from}} to " +
			"{{statement.to}}, closing at {{statement.closing_balance}}.\n\nKind regards,\n{{seller.name}}",
	},
};

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The placeholders in `text` that a template of `kind` cannot fill. */
export function unknownPlaceholders(text: string, kind: TemplateKind): string[] {
	const known = PLACEHOLDERS[kind];
	return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? "").filter((name) => !known.includes(name));
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);

/** The text with each placeholder replaced by its value. */
export const fillTemplate = (text: string, values: Readonly<Record<string, string>>) =>
	text.replace(PLACEHOLDER, (_, name: string) => values[name] ?? "");

/**
 * A message from a template: the subject on one line, the body as text, and as HTML in which the
 * template and every value are escaped (a customer named `<script>` stays text).
 */
export function renderMessage(template: { subject: string; body: string }, values: Readonly<Record<string, string>>) {
	const text = fillTemplate(template.body, values);
	const escapedValues = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, escapeHtml(v)]));
	const html = fillTemplate(escapeHtml(template.body), escapedValues)
		.split(/\n{2,}/)
		.map((paragraph) => `<p>${paragraph.replace(/\n/g, "<br>")}</p>`)
		.join("\n");
	return { subject: fillTemplate(template.subject, values).replace(/[\r\n]+/g, " "), text, html };
}
