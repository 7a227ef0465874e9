-- The tenant's tax setup is part of what an account operation reads once invoices are taxed by the
-- engine: changing it moves settings_version like the other settings those operations depend on.
CREATE TRIGGER tenants_tax_settings_version
AFTER UPDATE OF tax_rounding, tax_prices_include_tax, tax_origin_country, tax_origin_region, tax_registrations,
	tax_oss_registered, tax_eu_distance_sales_above_threshold ON tenants
BEGIN
	UPDATE tenants SET settings_version = settings_version + 1 WHERE id = NEW.id;
END;
