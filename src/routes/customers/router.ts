import { newRouter } from "../router";
import { CustomerBalance } from "./customerBalance";
import { CustomerCreate } from "./customerCreate";
import { CustomerDelete } from "./customerDelete";
import { CustomerGet } from "./customerGet";
import { CustomerList } from "./customerList";
import { CustomerNoteCreate } from "./customerNoteCreate";
import { CustomerNoteList } from "./customerNoteList";
import { CustomerUpdate } from "./customerUpdate";

export const customersRouter = newRouter();
customersRouter.get("/", CustomerList);
customersRouter.post("/", CustomerCreate);
customersRouter.get("/:id", CustomerGet);
customersRouter.patch("/:id", CustomerUpdate);
customersRouter.delete("/:id", CustomerDelete);
customersRouter.post("/:id/notes", CustomerNoteCreate);
customersRouter.get("/:id/notes", CustomerNoteList);
customersRouter.get("/:id/balance", CustomerBalance);
