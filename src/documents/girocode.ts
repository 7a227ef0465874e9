import qrcode from "qrcode-generator";
import { formatMinorUnits } from "../domain/currency";
import type { PaymentInstructions } from "./model";

/** The largest amount an EPC QR code carries: EUR 999,999,999.99. */
const EPC_MAX_CENTS = 99_999_999_999;

/**
 * The payload of an EPC069-12 "GiroCode" (SEPA credit transfer QR code, version 002, UTF-8), or null when
 * the amount cannot be paid by one: not euros, nothing due, or over the format's maximum.
 */
export function girocodePayload(payment: PaymentInstructions, amount: number, currency: string): string | null {
	if (currency !== "EUR" || amount <= 0 || amount > EPC_MAX_CENTS) return null;
	return [
		"BCD",
		"002",
		"1",
		"SCT",
		payment.bic ?? "",
		payment.beneficiary.slice(0, 70),
		payment.iban.replace(/\s+/g, ""),
		`EUR${formatMinorUnits(amount, "EUR")}`,
		"",
		"",
		payment.reference.slice(0, 140),
	].join("\n");
}

/** The QR code's modules, row by row (true = dark), error correction level M as EPC069-12 requires. */
export function qrModules(payload: string): boolean[][] {
	const code = qrcode(0, "M");
	// Byte mode takes one character per byte: hand it the UTF-8 encoding the payload declares.
	code.addData(String.fromCharCode(...new TextEncoder().encode(payload)), "Byte");
	code.make();
	const size = code.getModuleCount();
	return Array.from({ length: size }, (_, row) => Array.from({ length: size }, (_, col) => code.isDark(row, col)));
}
