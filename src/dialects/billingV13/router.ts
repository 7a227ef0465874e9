import { newRouter } from "../../routes/router";
import { SubscribeV13 } from "./subscribe";

/** Seed 002 (Billing API v1.3.0) paths that do not collide with the canonical API. */
export const billingV13Router = newRouter();
billingV13Router.post("/subscribe", SubscribeV13);
