import { newRouter } from "../../routes/router";
import {
	SimpleInvoiceCreate,
	SimpleInvoiceDelete,
	SimpleInvoiceGet,
	SimpleInvoiceList,
	SimpleInvoiceUpdate,
} from "./invoices";
import { SimpleUsageReport } from "./usageReport";

/** Seed 001 under /v1: paths the canonical API (/v1/billing, /v1/admin) does not use. */
export const simpleInvoicesRouter = newRouter();
simpleInvoicesRouter.get("/invoices", SimpleInvoiceList);
simpleInvoicesRouter.post("/invoices", SimpleInvoiceCreate);
simpleInvoicesRouter.get("/invoices/:id", SimpleInvoiceGet);
simpleInvoicesRouter.put("/invoices/:id", SimpleInvoiceUpdate);
simpleInvoicesRouter.delete("/invoices/:id", SimpleInvoiceDelete);
simpleInvoicesRouter.post("/usage-report", SimpleUsageReport);
