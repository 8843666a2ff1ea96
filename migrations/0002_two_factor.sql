-- Two-factor authentication: second factors, the Recovery Key, emailed codes and pending
-- sign-ins (password done, second step not yet).

-- One row per second factor a user has set up. kind: 'email' (codes to the verified email).
CREATE TABLE second_factors (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- One Recovery Key per user, as a keyed hash. Created in the same transaction that turns
-- two-factor authentication on, deleted in the one that turns it off.
CREATE TABLE recovery_keys (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    key_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- The latest emailed code per user and purpose ('enable', 'signin', 'disable'); sending a new
-- one replaces the row, so the old code dies.
CREATE TABLE email_codes (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    used_at BIGINT,
    PRIMARY KEY (user_id, purpose)
);

-- A sign-in whose password was right and whose second step is pending. Its token (a cookie)
-- can do nothing but the second step.
CREATE TABLE pending_signins (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX pending_signins_user ON pending_signins (user_id);
