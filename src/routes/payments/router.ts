import { newRouter } from "../router";
import { PaymentAllocate } from "./paymentAllocate";
import { PaymentCreate } from "./paymentCreate";
import { PaymentGet } from "./paymentGet";
import { PaymentList } from "./paymentList";
import { PaymentReconcile } from "./paymentReconcile";
import { PaymentRefund } from "./paymentRefund";

export const paymentsRouter = newRouter();
paymentsRouter.get("/", PaymentList);
paymentsRouter.post("/", PaymentCreate);
paymentsRouter.post("/reconcile", PaymentReconcile);
paymentsRouter.get("/:id", PaymentGet);
paymentsRouter.post("/:id/allocate", PaymentAllocate);
paymentsRouter.post("/:id/refund", PaymentRefund);
