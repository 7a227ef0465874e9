ALTER TABLE `tenants` ADD `settings_version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
-- What an account object keeps between operations of the tenant's settings is valid while this version
-- stands: every change to them moves it, whoever makes the change.
CREATE TRIGGER tenants_settings_version
AFTER UPDATE OF default_currency, invoice_number_format, books_closed_through ON tenants
BEGIN
	UPDATE tenants SET settings_version = settings_version + 1 WHERE id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER ledger_accounts_insert_settings_version
AFTER INSERT ON ledger_accounts
BEGIN
	UPDATE tenants SET settings_version = settings_version + 1 WHERE id = NEW.tenant_id;
END;
--> statement-breakpoint
CREATE TRIGGER ledger_accounts_update_settings_version
AFTER UPDATE ON ledger_accounts
BEGIN
	UPDATE tenants SET settings_version = settings_version + 1 WHERE id IN (OLD.tenant_id, NEW.tenant_id);
END;
--> statement-breakpoint
CREATE TRIGGER ledger_accounts_delete_settings_version
AFTER DELETE ON ledger_accounts
BEGIN
	UPDATE tenants SET settings_version = settings_version + 1 WHERE id = OLD.tenant_id;
END;
--> statement-breakpoint
CREATE TRIGGER ledger_mappings_insert_settings_version
AFTER INSERT ON ledger_mappings
BEGIN
	UPDATE tenants SET settings_version = settings_version + 1 WHERE id = NEW.tenant_id;
END;
--> statement-breakpoint
CREATE TRIGGER ledger_mappings_update_settings_version
AFTER UPDATE ON ledger_mappings
BEGIN
	UPDATE tenants SET settings_version = settings_version + 1 WHERE id IN (OLD.tenant_id, NEW.tenant_id);
END;
--> statement-breakpoint
CREATE TRIGGER ledger_mappings_delete_settings_version
AFTER DELETE ON ledger_mappings
BEGIN
	UPDATE tenants SET settings_version = settings_version + 1 WHERE id = OLD.tenant_id;
END;
--> statement-breakpoint
-- An account object that commits from what it remembers names what it remembers (`expected`) and the
-- batch reads what holds now (`actual`): when they differ, the whole batch is refused and the object
-- reads again. Nothing is stored: the view has no rows, and its trigger only checks.
CREATE VIEW account_state_checks AS SELECT '' AS expected, '' AS actual WHERE 0;
--> statement-breakpoint
CREATE TRIGGER account_state_unchanged
INSTEAD OF INSERT ON account_state_checks
WHEN NEW.expected IS NOT NEW.actual
BEGIN
	SELECT RAISE(ABORT, 'account_state_changed: the account changed since its object read it');
END;
