import { newRouter } from "../router";
import { CreditNoteApply } from "./creditNoteApply";
import { CreditNoteCreate } from "./creditNoteCreate";
import { CreditNoteEInvoice } from "./creditNoteEInvoice";
import { CreditNoteGet } from "./creditNoteGet";
import { CreditNoteList } from "./creditNoteList";
import { CreditNotePdf } from "./creditNotePdf";
import { CreditNoteSend } from "./creditNoteSend";
import { CreditNoteVoid } from "./creditNoteVoid";

export const creditNotesRouter = newRouter();
creditNotesRouter.get("/", CreditNoteList);
creditNotesRouter.post("/", CreditNoteCreate);
creditNotesRouter.get("/:id", CreditNoteGet);
creditNotesRouter.get("/:id/pdf", CreditNotePdf);
creditNotesRouter.get("/:id/e-invoice", CreditNoteEInvoice);
creditNotesRouter.post("/:id/apply", CreditNoteApply);
creditNotesRouter.post("/:id/send", CreditNoteSend);
creditNotesRouter.post("/:id/void", CreditNoteVoid);
