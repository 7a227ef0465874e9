import { newRouter } from "../router";
import { ComplianceCountries } from "./complianceCountries";
import { TaxAdjust } from "./taxAdjust";
import { TaxCalculate } from "./taxCalculate";
import { TaxProviderCreate, TaxProviderList } from "./taxProviders";
import { TaxRateCreate, TaxRateList } from "./taxRates";
import { TaxRegister } from "./taxRegister";
import { TaxReportCsv, TaxReportStart } from "./taxReports";

export const taxRouter = newRouter();
taxRouter.post("/calculate", TaxCalculate);
taxRouter.get("/rates", TaxRateList);
taxRouter.post("/rates", TaxRateCreate);
taxRouter.post("/adjust", TaxAdjust);
taxRouter.post("/register", TaxRegister);
taxRouter.get("/reports", TaxReportStart);
taxRouter.get("/reports/:id/csv", TaxReportCsv);

export const taxProvidersRouter = newRouter();
taxProvidersRouter.get("/", TaxProviderList);
taxProvidersRouter.post("/", TaxProviderCreate);

export const complianceRouter = newRouter();
complianceRouter.get("/countries", ComplianceCountries);
