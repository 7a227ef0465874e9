-- Account objects remember the tenant's own tax rates with its other settings: adding or changing one
-- moves settings_version, so a remembered state taxed with the old rates is refused and read again.
CREATE TRIGGER tax_rates_insert_settings_version
AFTER INSERT ON tax_rates
BEGIN
	UPDATE tenants SET settings_version = settings_version + 1 WHERE id = NEW.tenant_id;
END;
--> statement-breakpoint
CREATE TRIGGER tax_rates_update_settings_version
AFTER UPDATE ON tax_rates
BEGIN
	UPDATE tenants SET settings_version = settings_version + 1 WHERE id IN (OLD.tenant_id, NEW.tenant_id);
END;
--> statement-breakpoint
CREATE TRIGGER tax_rates_delete_settings_version
AFTER DELETE ON tax_rates
BEGIN
	UPDATE tenants SET settings_version = settings_version + 1 WHERE id = OLD.tenant_id;
END;
