import type { TaxInputError } from "../../domain/tax/engine";
import { AppError, fieldInvalid } from "../../lib/errors";

/**
 * The problem an engine error makes: the tenant's settings when the seller's setup cannot tax the sale
 * (`tax_origin_region`, …), else the request's field, as `fieldOf` spells the engine's field for it.
 */
export function taxInputProblem(error: TaxInputError, fieldOf: (engineField: string) => string): AppError {
	if (error.field.startsWith("seller.")) {
		const setting = `tax_${error.field.slice("seller.".length)}`;
		return new AppError(
			"invalid_state",
			`The tenant's tax settings cannot tax this sale: ${setting} ${error.message}.`,
			{ extensions: { setting } },
		);
	}
	return fieldInvalid("body", fieldOf(error.field), error.message);
}
