// What the PDF renderers draw: plain data, amounts in integer minor units of `currency`, dates as
// YYYY-MM-DD. The services build these from the stored records; the renderers do no I/O.

export type Party = {
	name: string;
	addressLines: string[];
	taxId: string | null;
	/** Company register entry, e.g. "Amtsgericht Berlin HRB 12345". */
	registration: string | null;
	email: string | null;
};

export type Logo = { contentType: "image/png" | "image/jpeg"; bytes: Uint8Array };

export type PaymentInstructions = {
	beneficiary: string;
	iban: string;
	bic: string | null;
	/** What the payer quotes with the transfer: the invoice number. */
	reference: string;
};

export type DocumentLine = {
	description: string;
	/** Exact decimal text. */
	quantity: string;
	unit: string | null;
	unitPrice: number;
	discount: number;
	/** e.g. "DE 19%"; empty when the line is untaxed. */
	taxLabel: string;
	net: number;
};

export type TaxBreakdownRow = { label: string; rate: string; taxable: number; amount: number };

export type InvoiceDocument = {
	kind: "invoice" | "credit_note";
	/** Null while a draft. */
	number: string | null;
	draft: boolean;
	locale: string;
	currency: string;
	seller: Party;
	buyer: Party;
	logo: Logo | null;
	issueDate: string | null;
	dueDate: string | null;
	servicePeriod: { from: string; to: string } | null;
	paymentTerms: string | null;
	/** The invoice a credit note corrects. */
	correcting: string | null;
	lines: DocumentLine[];
	taxBreakdown: TaxBreakdownRow[];
	totals: {
		subtotal: number;
		discount: number;
		tax: number;
		total: number;
		paid: number;
		credited: number;
		writtenOff: number;
		balance: number;
	};
	notes: string[];
	payment: PaymentInstructions | null;
	footer: string | null;
};

export type StatementEntry = {
	date: string;
	type: "invoice" | "payment" | "credit_note" | "refund" | "write_off" | "void";
	reference: string;
	/** Raises what the customer owes. */
	debit: number;
	/** Lowers it. */
	credit: number;
	balance: number;
};

export type StatementDocument = {
	locale: string;
	currency: string;
	seller: Party;
	buyer: Party;
	logo: Logo | null;
	from: string;
	to: string;
	openingBalance: number;
	entries: StatementEntry[];
	closingBalance: number;
	aging: { current: number; days_1_30: number; days_31_60: number; days_61_90: number; days_over_90: number };
	footer: string | null;
};
