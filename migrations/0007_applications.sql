-- Applications that sign their users in through Latchkey (OpenID Connect clients), per
-- organization. A confidential client's secret is stored only as its SHA-256 (it is 256
-- random bits, shown once); a public client has none. URIs are matched exactly.
CREATE TABLE applications (
    id @ID@,
    org_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    client_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    secret_hash TEXT,
    require_2fa BIGINT NOT NULL DEFAULT 0,
    third_party BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX applications_org ON applications (org_id);

-- Where an application may be sent back to: 'redirect' (after sign-in) or 'post_logout'.
CREATE TABLE application_uris (
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    uri TEXT NOT NULL,
    PRIMARY KEY (application_id, kind, uri)
);
