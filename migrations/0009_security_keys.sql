-- Security keys and passkeys (WebAuthn).
--
-- Each user who registers a key gets a random WebAuthn user handle (16 bytes, as 32 hex
-- digits): a discoverable credential carries it, and a passkey sign-in finds the account by it.
-- It is not the subject applications know people by, so a key does not tell them apart.
ALTER TABLE users ADD COLUMN webauthn_handle TEXT;
CREATE UNIQUE INDEX users_webauthn_handle ON users (webauthn_handle);

-- A user's registered credentials. credential_id (base64url) belongs to one user only: the
-- unique index refuses a second registration of it, by anyone. passkey is the library's
-- credential (public key, sign counter, backup flags) as JSON; counter repeats the sign counter
-- so that its update is a compare-and-set: two assertions cannot both move it from one value.
CREATE TABLE security_keys (
    id @ID@,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential_id TEXT NOT NULL,
    name TEXT NOT NULL,
    passkey TEXT NOT NULL,
    counter BIGINT NOT NULL DEFAULT 0,
    backup_eligible BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT
);
CREATE UNIQUE INDEX security_keys_credential ON security_keys (credential_id);
CREATE INDEX security_keys_user ON security_keys (user_id);

-- Ceremonies in progress: the library's state for one registration or assertion, under the
-- hash of a random id the browser sends back. A row is taken (deleted) by the request that
-- finishes it, so a challenge is used at most once, across every process; it expires at
-- expires_at. owner binds it: 'session:<id>' (adding a key), 'pending:<token hash>' (the second
-- step of one sign-in) or 'passkey' (a sign-in without a password, before anyone is known).
CREATE TABLE webauthn_challenges (
    id_hash TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    owner TEXT NOT NULL,
    user_id BIGINT,
    state TEXT NOT NULL,
    detail TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX webauthn_challenges_expiry ON webauthn_challenges (expires_at);

-- "Security key or passkey" is one of the allowed methods ('key'); it is stronger than the
-- others, so every organization allows it from now on. An admin can take it out again.
UPDATE organizations SET allowed_methods = allowed_methods || ',key';
-- "Require a security key or passkey for admins": since when (NULL: off). Admins without a
-- key get the organization's grace period from then, and are held at the set-up after it.
ALTER TABLE organizations ADD COLUMN admin_keys_since BIGINT;
