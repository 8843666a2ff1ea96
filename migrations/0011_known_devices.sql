-- Known devices: the browsers that completed a sign-in of an account.
--
-- A browser carries one random token in its own cookie (latchkey_device); only its SHA-256 is
-- stored, once per account that signed in with it, so a row is bound to its user: another
-- account signing in on the same browser has a row of its own. A row makes the browser
-- "known" to that account (no new-device alert; its failures count against the account, not
-- the client address). remembered_at: when "Remember this device" was ticked at a second step;
-- the second step is skipped while remembered_at + the organization's remember_days is ahead.
-- NULL: known, not remembered.
CREATE TABLE devices (
    id @ID@,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    first_ip TEXT NOT NULL,
    first_seen_at BIGINT NOT NULL,
    last_ip TEXT NOT NULL,
    last_used_at BIGINT NOT NULL,
    remembered_at BIGINT
);
CREATE UNIQUE INDEX devices_user_token ON devices (user_id, token_hash);
CREATE INDEX devices_last_used ON devices (last_used_at);

-- How many days "Remember this device" lasts in the organization; 0 turns it off. New
-- organizations offer it for 30 days; those from before start with it off (it relaxes the
-- second step, so an admin turns it on: not an upgrade).
ALTER TABLE organizations ADD COLUMN remember_days BIGINT NOT NULL DEFAULT 30;
UPDATE organizations SET remember_days = 0;

-- Whether the account has had a device recorded (1): from then on, a browser new to it is
-- announced. An account's first recorded sign-in is not news (a new account's, or an
-- existing account's first one after this upgrade, when no browser is known yet).
ALTER TABLE users ADD COLUMN devices_seen BIGINT NOT NULL DEFAULT 0;

-- "This wasn't me": the password must be reset before the next sign-in (1), by an emailed link.
ALTER TABLE users ADD COLUMN must_reset_password BIGINT NOT NULL DEFAULT 0;

-- The browser a pending sign-in came from (for the alert when its second step fails repeatedly
-- or is abandoned), its wrong second factors, and whether that alert went out (once).
ALTER TABLE pending_signins ADD COLUMN device_hash TEXT;
ALTER TABLE pending_signins ADD COLUMN ip TEXT NOT NULL DEFAULT '';
ALTER TABLE pending_signins ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE pending_signins ADD COLUMN failures BIGINT NOT NULL DEFAULT 0;
ALTER TABLE pending_signins ADD COLUMN alerted BIGINT NOT NULL DEFAULT 0;
CREATE INDEX pending_signins_expiry ON pending_signins (expires_at);
