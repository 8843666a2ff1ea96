-- The sign-in's state (domain/signin) is stored in its pending row: which ways in were
-- offered, which one the page asks for, and the emailed code sent for this sign-in (its keyed
-- hash, when it was sent, until when it works, its tries; or until when the hourly cap held
-- it). `version` makes each transition a compare-and-swap, also across processes.
--
-- Pending rows from before have no state: those sign-ins end (the person logs in again; they
-- last minutes). Sign-in codes now belong to their pending sign-in, not to email_codes.
DELETE FROM pending_signins;
DELETE FROM email_codes WHERE purpose = 'signin';
-- Authenticator set-ups begun before a set-up needed the password and a current second factor
-- (while two-factor authentication is on) must not be finished without them.
DELETE FROM second_factors WHERE kind = 'totp_pending';
ALTER TABLE pending_signins ADD COLUMN offered TEXT NOT NULL DEFAULT '';
ALTER TABLE pending_signins ADD COLUMN method TEXT NOT NULL DEFAULT 'email';
ALTER TABLE pending_signins ADD COLUMN return_to TEXT NOT NULL DEFAULT 'account';
ALTER TABLE pending_signins ADD COLUMN code_hash TEXT;
ALTER TABLE pending_signins ADD COLUMN code_sent_at BIGINT;
ALTER TABLE pending_signins ADD COLUMN code_expires_at BIGINT;
ALTER TABLE pending_signins ADD COLUMN code_tries BIGINT NOT NULL DEFAULT 0;
ALTER TABLE pending_signins ADD COLUMN code_capped_until BIGINT;
ALTER TABLE pending_signins ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
