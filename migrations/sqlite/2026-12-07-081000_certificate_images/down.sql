ALTER TABLE certificate_templates DROP COLUMN signatory;
ALTER TABLE certificate_templates DROP COLUMN background_path;
ALTER TABLE certificate_templates DROP COLUMN signature_path;
ALTER TABLE certificate_templates DROP COLUMN logo_path;
