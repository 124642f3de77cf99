-- A certificate template's images (storage keys of PNG or JPEG files: a logo above the
-- heading, a signature above the signatory line, a full-page background) and the text under
-- the signature. Each upload gets a fresh key, so a replaced image changes the key.
ALTER TABLE certificate_templates ADD COLUMN logo_path TEXT;
ALTER TABLE certificate_templates ADD COLUMN signature_path TEXT;
ALTER TABLE certificate_templates ADD COLUMN background_path TEXT;
ALTER TABLE certificate_templates ADD COLUMN signatory TEXT NOT NULL DEFAULT '';
