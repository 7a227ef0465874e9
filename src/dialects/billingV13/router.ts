import { newRouter } from "../../routes/router";
import { InvoiceCreateV13, InvoiceListV13 } from "./invoice";
import { SubscribeV13 } from "./subscribe";

/** Seed 002 (Billing API v1.3.0) paths that do not collide with the canonical API. */
export const billingV13Router = newRouter();
billingV13Router.post("/subscribe", SubscribeV13);
billingV13Router.post("/invoice", InvoiceCreateV13);
billingV13Router.get("/invoice", InvoiceListV13);
