-- The tenant's tax setup is part of what an account operation reads once invoices are taxed by the
-- engine: changing it moves settings_version like the other settings those operations depend on.
CREATE TRIGGER tenants_tax_settings_version
AFTER UPDATE OF tax_rounding, tax_prices_include_tax, tax_origin_country, tax_origin_region, tax_registrations,
	tax_oss_registered, tax_eu_distance_sales_above_threshold ON tenants
BEGIN
	UPDATE tenants SET settings_version = settings_version + 1 WHERE id = NEW.id;
END;
--> statement-breakpoint
-- Two of a tenant's own rates for the same place, code and jurisdiction never overlap in time, even when
-- they are added at the same moment: the service checks first to name the other rate, this makes it hold.
CREATE TRIGGER tax_rates_no_overlap
BEFORE INSERT ON tax_rates
WHEN EXISTS (
	SELECT 1 FROM tax_rates AS other
	WHERE other.tenant_id = NEW.tenant_id
		AND other.country = NEW.country
		AND other.tax_code = NEW.tax_code
		AND other.jurisdiction = NEW.jurisdiction
		AND other.region IS NEW.region
		AND other.postal_prefix IS NEW.postal_prefix
		AND (other.valid_to IS NULL OR NEW.valid_from <= other.valid_to)
		AND (NEW.valid_to IS NULL OR other.valid_from <= NEW.valid_to)
)
BEGIN
	SELECT RAISE(ABORT, 'tax_rate_overlap: another rate of the tenant covers this place, code and days');
END;
