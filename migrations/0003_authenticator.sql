-- Authenticator apps (TOTP). A factor of kind 'totp' is active; 'totp_pending' is a set-up
-- that has not been verified yet and lets nobody in. secret is the TOTP secret encrypted with
-- the AEAD key; last_step is the last time step accepted, so that a code works once.
ALTER TABLE second_factors ADD COLUMN secret TEXT;
ALTER TABLE second_factors ADD COLUMN last_step BIGINT;
