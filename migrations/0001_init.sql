-- Latchkey schema, version 1. One file for SQLite and PostgreSQL: @ID@ becomes the
-- dialect's auto-increment primary key; every other type is spelled the same in both.
-- Times are Unix seconds (BIGINT). Secrets are never stored in plaintext: *_hash columns
-- hold hashes, outbox.body holds ciphertext.

CREATE TABLE organizations (
    id @ID@,
    name TEXT NOT NULL,
    domain TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id @ID@,
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    email TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    password_hash TEXT,
    email_verified_at BIGINT,
    created_at BIGINT NOT NULL,
    last_sign_in_at BIGINT
);
CREATE INDEX users_org ON users (org_id);

CREATE TABLE sessions (
    id @ID@,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Single-use links (first-run setup, email verification, password reset, invitation).
CREATE TABLE link_tokens (
    token_hash TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    user_id BIGINT REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX link_tokens_user ON link_tokens (user_id, purpose);

-- Security events. No foreign keys: the trail outlives what it speaks of.
CREATE TABLE audit_events (
    id @ID@,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    user_id BIGINT,
    org_id BIGINT,
    ip TEXT,
    user_agent TEXT,
    detail TEXT
);
CREATE INDEX audit_events_user ON audit_events (user_id, at);
CREATE INDEX audit_events_org ON audit_events (org_id, at);

-- Mail waiting to be sent. body is encrypted, and dropped once the message is sent.
CREATE TABLE outbox (
    id @ID@,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT,
    created_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    locked_until BIGINT NOT NULL DEFAULT 0,
    sent_at BIGINT,
    failed_at BIGINT,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- Failure counters and locks for guessing limits and mail quotas, keyed like 'signin:acct:EMAIL'.
CREATE TABLE throttles (
    key TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    failures BIGINT NOT NULL,
    level BIGINT NOT NULL,
    locked_until BIGINT NOT NULL
);
