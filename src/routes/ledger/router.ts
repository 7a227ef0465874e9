import { newRouter } from "../router";
import { AccountCreate } from "./accountCreate";
import { AccountList } from "./accountList";
import { FxRateList, FxRateSet } from "./fxRates";
import { JournalCreate } from "./journalCreate";
import { JournalGet } from "./journalGet";
import { JournalList } from "./journalList";
import { LedgerBalances } from "./ledgerBalances";
import { AccountingExport, AccountingExportDownload, AccountingExportGet, GlReconcile, LedgerSync } from "./ledgerJobs";
import { MappingsGet, MappingsUpdate } from "./mappings";
import { PeriodClose, PeriodsGet } from "./periods";

export const journalsRouter = newRouter();
journalsRouter.get("/", JournalList);
journalsRouter.post("/", JournalCreate);
journalsRouter.get("/:id", JournalGet);

export const ledgerRouter = newRouter();
ledgerRouter.get("/balances", LedgerBalances);
ledgerRouter.get("/accounts", AccountList);
ledgerRouter.post("/accounts", AccountCreate);
ledgerRouter.get("/mappings", MappingsGet);
ledgerRouter.put("/mappings", MappingsUpdate);
ledgerRouter.get("/periods", PeriodsGet);
ledgerRouter.post("/periods/close", PeriodClose);
ledgerRouter.post("/sync", LedgerSync);

export const fxRatesRouter = newRouter();
fxRatesRouter.get("/", FxRateList);
fxRatesRouter.post("/", FxRateSet);

export const glReconcileRouter = newRouter();
glReconcileRouter.post("/gl", GlReconcile);

export const exportsRouter = newRouter();
exportsRouter.post("/accounting", AccountingExport);
exportsRouter.get("/accounting/:id", AccountingExportGet);
exportsRouter.get("/accounting/:id/download", AccountingExportDownload);
