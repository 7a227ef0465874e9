// XRechnung 3.0 in UBL syntax: the EN 16931 UBL binding declaring the German CIUS. What XRechnung adds
// is data the invoice must carry (BT-10 Leitweg-ID, seller contact BT-41..43, payment instructions),
// which the pre-flight check demands; the rendering itself is the UBL one.
import type { EInvoice } from "./model";
import { PEPPOL_BIS_BILLING_3, renderUblDocument, type UblSpecification } from "./ubl";

export const XRECHNUNG_3_0: UblSpecification = {
	customizationId: "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0",
	profileId: PEPPOL_BIS_BILLING_3.profileId,
};

export const renderXRechnung = (invoice: EInvoice): string => renderUblDocument(invoice, XRECHNUNG_3_0);
