import { newRouter } from "../router";
import {
	SubscriptionCancel,
	SubscriptionInvoiceNow,
	SubscriptionPause,
	SubscriptionResume,
} from "./subscriptionActions";
import { SubscriptionCreate } from "./subscriptionCreate";
import { SubscriptionGet } from "./subscriptionGet";
import { SubscriptionInvoices } from "./subscriptionInvoices";
import { SubscriptionList } from "./subscriptionList";
import { SubscriptionUpcoming } from "./subscriptionUpcoming";
import { SubscriptionUpdate } from "./subscriptionUpdate";

export const subscriptionsRouter = newRouter();
subscriptionsRouter.get("/", SubscriptionList);
subscriptionsRouter.post("/", SubscriptionCreate);
subscriptionsRouter.get("/:id", SubscriptionGet);
subscriptionsRouter.patch("/:id", SubscriptionUpdate);
subscriptionsRouter.get("/:id/invoices", SubscriptionInvoices);
subscriptionsRouter.get("/:id/upcoming", SubscriptionUpcoming);
subscriptionsRouter.post("/:id/cancel", SubscriptionCancel);
subscriptionsRouter.post("/:id/pause", SubscriptionPause);
subscriptionsRouter.post("/:id/resume", SubscriptionResume);
subscriptionsRouter.post("/:id/invoice-now", SubscriptionInvoiceNow);
