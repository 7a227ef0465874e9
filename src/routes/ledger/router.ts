import { newRouter } from "../router";
import { JournalGet } from "./journalGet";
import { JournalList } from "./journalList";
import { LedgerBalances } from "./ledgerBalances";

export const journalsRouter = newRouter();
journalsRouter.get("/", JournalList);
journalsRouter.get("/:id", JournalGet);

export const ledgerRouter = newRouter();
ledgerRouter.get("/balances", LedgerBalances);
