-- Applications sign their users in through Latchkey (OpenID Connect) and reverse proxies ask
-- it whether a request is signed in (forward-auth).
--
-- Each user gets a stable, random subject identifier: applications know people by it, never
-- by their email (which can change) nor by the row id. @RANDOM_HEX@ is 32 random hex digits
-- per row (SQLite's randomblob; a version 4 UUID, 122 random bits, on PostgreSQL 13 and
-- later). `name` is the display name members may give themselves.
ALTER TABLE users ADD COLUMN subject TEXT;
UPDATE users SET subject = @RANDOM_HEX@ WHERE subject IS NULL;
CREATE UNIQUE INDEX users_subject ON users (subject);
ALTER TABLE users ADD COLUMN name TEXT;

-- How a session was signed in ('pwd', 'pwd+email', 'pwd+app', 'pwd+recovery'), told to
-- applications as amr and acr; and where the person goes once a set-up that held them is
-- done (a sealed continuation, e.g. an application waiting for them).
ALTER TABLE sessions ADD COLUMN authn TEXT NOT NULL DEFAULT 'pwd';
ALTER TABLE sessions ADD COLUMN continue_to TEXT;
-- The hash of the session's forward-auth cookie: a second token, for the cookie domain, that
-- only /auth/forward accepts (the session's own cookie stays on Latchkey's host).
ALTER TABLE sessions ADD COLUMN forward_hash TEXT;
CREATE UNIQUE INDEX sessions_forward ON sessions (forward_hash);

-- The signature algorithm of an application's ID tokens (RS256 unless it registered ES256).
ALTER TABLE applications ADD COLUMN id_token_alg TEXT NOT NULL DEFAULT 'RS256';

-- Keys that sign ID tokens, shared by every process. The private key is encrypted with the
-- secret key; the newest generation of each algorithm signs; a retired key stays published
-- until the tokens it signed have expired. Two processes starting at once both try to insert
-- generation 1: the unique constraint keeps one.
CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY,
    alg TEXT NOT NULL,
    generation BIGINT NOT NULL,
    private_key TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    retired_at BIGINT,
    UNIQUE (alg, generation)
);

-- Authorization codes: stored as their hash, single use, bound to the application, the
-- redirect URI, the PKCE challenge and the session they came from.
CREATE TABLE oauth_codes (
    code_hash TEXT PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id BIGINT NOT NULL,
    redirect_uri TEXT NOT NULL,
    scope TEXT NOT NULL,
    nonce TEXT,
    code_challenge TEXT,
    auth_time BIGINT NOT NULL,
    authn TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX oauth_codes_expires ON oauth_codes (expires_at);

-- A grant: what one code led to, and every token refreshed from it. A grant lives as long as
-- the session it came from, unless it is offline (scope offline_access); revoking it ends all
-- of its tokens at once.
CREATE TABLE oauth_grants (
    id @ID@,
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id BIGINT NOT NULL,
    offline BIGINT NOT NULL DEFAULT 0,
    code_hash TEXT NOT NULL UNIQUE,
    scope TEXT NOT NULL,
    auth_time BIGINT NOT NULL,
    authn TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX oauth_grants_user ON oauth_grants (user_id);
CREATE INDEX oauth_grants_session ON oauth_grants (session_id);

-- Access and refresh tokens, as their hashes. A refresh token is used once (rotated); a second
-- use of one revokes its grant.
CREATE TABLE oauth_tokens (
    token_hash TEXT PRIMARY KEY,
    grant_id BIGINT NOT NULL REFERENCES oauth_grants (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
    -- An access token's scope when a refresh narrowed it (NULL: the grant's).
    scope TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX oauth_tokens_grant ON oauth_tokens (grant_id);
CREATE INDEX oauth_tokens_expires ON oauth_tokens (expires_at);

-- What a member allowed a third-party application to know (space-separated scopes).
CREATE TABLE oauth_consents (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    scope TEXT NOT NULL,
    granted_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, application_id)
);
CREATE INDEX oauth_consents_application ON oauth_consents (application_id);
