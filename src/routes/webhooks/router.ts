import { newRouter } from "../router";
import { WebhookDelete, WebhookDisable, WebhookEnable, WebhookRotateSecret } from "./webhookChange";
import { WebhookCreate } from "./webhookCreate";
import { WebhookDeliveryGet, WebhookDeliveryList, WebhookRedeliver } from "./webhookDeliveries";
import { WebhookList } from "./webhookList";
import { WebhookTest } from "./webhookTest";

export const webhooksRouter = newRouter();
webhooksRouter.get("/", WebhookList);
webhooksRouter.post("/", WebhookCreate);
webhooksRouter.post("/test", WebhookTest);
webhooksRouter.delete("/:id", WebhookDelete);
webhooksRouter.post("/:id/enable", WebhookEnable);
webhooksRouter.post("/:id/disable", WebhookDisable);
webhooksRouter.post("/:id/rotate-secret", WebhookRotateSecret);
webhooksRouter.get("/:id/deliveries", WebhookDeliveryList);
webhooksRouter.get("/:id/deliveries/:deliveryId", WebhookDeliveryGet);
webhooksRouter.post("/:id/deliveries/:deliveryId/redeliver", WebhookRedeliver);
