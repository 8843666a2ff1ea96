-- The language and time zone people read pages and emails in.
--
-- A member's own choice (Manage Account -> Profile); NULL follows the organization. Languages
-- are BCP 47 tags Latchkey has translations for ('en', 'id'); zones are IANA names
-- ('Asia/Jakarta').
ALTER TABLE users ADD COLUMN language TEXT;
ALTER TABLE users ADD COLUMN time_zone TEXT;

-- The organization's defaults. A NULL language follows each browser's Accept-Language; the
-- zone is set when the organization is created, UTC for those made before.
ALTER TABLE organizations ADD COLUMN language TEXT;
ALTER TABLE organizations ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
