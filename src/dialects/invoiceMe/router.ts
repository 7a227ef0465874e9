import { newRouter } from "../../routes/router";
import { Login, Register } from "./auth";
import { ApproveUser, PendingUsers, RejectUser } from "./users";

/** Seed 004 (InvoiceMe) under /api/v1. */
export const invoiceMeRouter = newRouter();
invoiceMeRouter.post("/auth/register", Register);
invoiceMeRouter.post("/auth/login", Login);
invoiceMeRouter.get("/users/pending", PendingUsers);
invoiceMeRouter.patch("/users/:id/approve", ApproveUser);
invoiceMeRouter.patch("/users/:id/reject", RejectUser);
